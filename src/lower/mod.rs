//! Back ends that translate the checked DAG IR into another workflow
//! language. Each back end has one entry function and reads only the IR
//! (`ir::Program`) and its item tables, never the syntax tree, so it means
//! what `wfl run` means. `yaml` lowers to the YAML workflow DSL
//! (`wfl compile --to yaml`).

pub mod yaml;
