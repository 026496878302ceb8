#!/usr/bin/env python3
"""A small runner for the YAML workflow DSL files `wfl compile --to yaml`
emits, used by the tests to run the YAML against the same recorded agent
answers as `wfl run --replay` and compare the results. It follows the
DSL as ../shared/reference/yaml-dsl.md describes it (version 2.14):
steps in order with `on.*.goto` routing at top level, `${...}`
substitution ($$ is $), typed predicates and structured refs, command
steps with output_file / output_capture / output_bundle / variant_output,
retries, if/match/for_each/repeat_until (with on_exhausted), call with
imports, and -- as the reference records -- a for_each that goes on after
a failing step and never fails. Provider steps do not run their template:
the answer comes from a replay file (the format of wfl's replay provider),
keyed by --map NAME=KEY templates ({i0}, {i1}: enclosing loop indices,
1-based, outermost first; {attempt}). Prints one JSON object: status,
outputs, result (the entry's result.json) and the error if any.

usage: sim.py DIR ENTRY.yaml --workspace WS [--input K=V]... [--answers F] [--map NAME=KEY]...
"""
import itertools, json, os, re, subprocess, sys
import yaml


class StepFailed(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code, self.message = code, message


class Sim:
    def __init__(self, directory, workspace, answers, keymap):
        self.dir, self.ws, self.answers, self.keymap = directory, workspace, answers, keymap
        self.loops = []  # (index, total) of every enclosing loop, outermost first

    # -- substitution -------------------------------------------------
    def substitute(self, text, cx):
        out, i = [], 0
        while i < len(text):
            c = text[i]
            if c == "$" and text[i + 1:i + 2] == "$":
                out.append("$"); i += 2
            elif c == "$" and text[i + 1:i + 2] == "{":
                end = text.index("}", i)
                out.append(self.render(self.lookup(text[i + 2:end], cx)))
                i = end + 1
            else:
                out.append(c); i += 1
        return "".join(out)

    @staticmethod
    def render(v):
        if isinstance(v, tuple):  # (value, json filter)
            return json.dumps(v[0], separators=(",", ":"))
        if isinstance(v, str):
            return v
        return json.dumps(v)

    def lookup(self, body, cx):
        if body.endswith("|json"):
            return (self.lookup(body[:-5], cx),)
        if body.startswith("inputs."):
            return cx["inputs"][body[7:]]
        if body in ("loop.index", "loop.total"):
            loop = cx["loop"]
            return loop[0] if body == "loop.index" else loop[1]
        if body.startswith("steps."):
            name, field = self.split_step(body[6:], list(cx["local"]) + list(cx["root"]))
            result = cx["local"].get(name) or cx["root"][name]
            if field.startswith("artifacts."):
                return result["artifacts"][field[10:]]
            if field == "json" or field.startswith("json."):
                v = result["json"]
                for k in field.split(".")[1:]:
                    v = v[k]
                return v
            return result[field]
        if body in cx.get("aliases", {}):
            return cx["aliases"][body]
        raise StepFailed(2, "undefined variable " + body)

    @staticmethod
    def split_step(rest, names):
        best = max((n for n in names if rest == n or rest.startswith(n + ".")), key=len, default=None)
        if best is None:
            raise StepFailed(2, "unknown step in " + rest)
        return best, rest[len(best) + 1:]

    def ref(self, path, cx):
        if path.startswith("inputs."):
            return cx["inputs"][path[7:]]
        if path.startswith("self.outputs."):
            return cx["outputs"][path[13:]]
        scope, rest = ("root", path[11:]) if path.startswith("root.steps.") else ("local", path[11:])
        name, field = self.split_step(rest, list(cx[scope]))
        v = cx[scope][name]
        for k in field.split("."):
            v = v[k]
        return v

    def predicate(self, p, cx):
        (op, v), = p.items()
        if op == "artifact_bool":
            return self.ref(v["ref"], cx) is True
        if op == "compare":
            side = lambda s: self.ref(s["ref"], cx) if isinstance(s, dict) else s
            a, b = side(v["left"]), side(v["right"])
            return {"eq": a == b, "ne": a != b, "lt": a < b, "lte": a <= b, "gt": a > b, "gte": a >= b}[v["op"]]
        if op == "all_of":
            return all(self.predicate(x, cx) for x in v)
        if op == "any_of":
            return any(self.predicate(x, cx) for x in v)
        if op == "not":
            return not self.predicate(v, cx)
        raise StepFailed(2, "unknown predicate " + op)

    # -- outputs --------------------------------------------------------
    def field_value(self, doc, f):
        v = doc
        for k in [t.replace("~1", "/").replace("~0", "~") for t in f["json_pointer"].split("/")[1:]]:
            if not isinstance(v, dict) or k not in v:
                raise StepFailed(2, "missing " + f["json_pointer"])
            v = v[k]
        ok = {"string": isinstance(v, str), "relpath": isinstance(v, str), "bool": isinstance(v, bool),
              "integer": isinstance(v, int) and not isinstance(v, bool),
              "float": isinstance(v, (int, float)) and not isinstance(v, bool),
              "enum": v in f.get("allowed", [])}[f["type"]]
        if f["type"] == "relpath" and f.get("must_exist_target") and not os.path.exists(os.path.join(self.ws, v)):
            ok = False
        if f["type"] == "relpath" and f.get("under") and not v.startswith(f["under"].rstrip("/") + "/"):
            ok = False
        if not ok:
            raise StepFailed(2, "contract violation at " + f["json_pointer"])
        return v

    def read_outputs(self, step, cx):
        arts = {}
        if "output_bundle" in step:
            doc = self.read_json(self.substitute(step["output_bundle"]["path"], cx))
            for f in step["output_bundle"]["fields"]:
                arts[f["name"]] = self.field_value(doc, f)
        if "variant_output" in step:
            vo = step["variant_output"]
            doc = self.read_json(self.substitute(vo["path"], cx))
            tag = self.field_value(doc, vo["discriminant"])
            arts[vo["discriminant"]["name"]] = tag
            for f in vo["variants"][tag]["fields"]:
                arts[f["name"]] = self.field_value(doc, f)
        return arts

    def read_json(self, rel):
        try:
            with open(os.path.join(self.ws, rel)) as fh:
                return json.load(fh)
        except (OSError, ValueError):
            raise StepFailed(2, "bundle " + rel + " missing or not JSON")

    def bundle_env(self, step, cx):
        for key in ("output_bundle", "variant_output"):
            if key in step:
                path = self.substitute(step[key]["path"], cx)
                os.makedirs(os.path.dirname(os.path.join(self.ws, path)) or self.ws, exist_ok=True)
                return path
        return None

    # -- steps ----------------------------------------------------------
    def command(self, step, cx):
        argv = [self.substitute(a, cx) for a in step["command"]]
        env = dict(os.environ)
        env.update(step.get("env", {}))
        bundle = self.bundle_env(step, cx)
        if bundle:
            env["ORCHESTRATOR_OUTPUT_BUNDLE_PATH"] = bundle
            try:
                os.remove(os.path.join(self.ws, bundle))
            except OSError:
                pass
        try:
            p = subprocess.run(argv, cwd=self.ws, env=env, capture_output=True, timeout=step.get("timeout_sec", 300))
        except FileNotFoundError:
            raise StepFailed(127, argv[0] + ": not found")
        except subprocess.TimeoutExpired:
            raise StepFailed(124, "timeout")
        out = p.stdout.decode()
        if "output_file" in step:
            path = os.path.join(self.ws, self.substitute(step["output_file"], cx))
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as fh:
                fh.write(out)
        result = {"exit_code": p.returncode, "output": out, "stderr": p.stderr.decode()}
        if p.returncode != 0:
            raise StepFailed(p.returncode, p.stderr.decode()[-500:])
        if step.get("output_capture") == "json":
            result["json"] = json.loads(out)
        result["artifacts"] = self.read_outputs(step, cx)
        return result

    def answer(self, key):
        m = re.findall(r"\[(\d+)\]", key)
        parts = re.split(r"\[\d+\]", key)
        n = len(m)
        for blanks in range(n + 1):
            for combo in sorted(itertools.combinations(range(n), blanks), key=lambda c: [-i for i in reversed(c)]):
                k = parts[0]
                for i in range(n):
                    k += ("[]" if i in combo else "[" + m[i] + "]") + parts[i + 1]
                if k in self.answers:
                    a = self.answers[k]
                    if isinstance(a, list):
                        a = a[int(m[max(combo)]) - 1] if combo else a[0]
                    return a
        raise StepFailed(1, "no recorded answer for " + key)

    def provider(self, step, cx, attempt):
        bundle = self.bundle_env(step, cx)
        template = self.keymap.get(step["name"])
        if template is None:
            raise StepFailed(1, "no --map for provider step " + step["name"])
        indices = {"i%d" % k: i + 1 for k, (i, _) in enumerate(self.loops)}
        a = self.answer(template.format(attempt=attempt, **indices))
        for rel, text in a.get("files", {}).items():
            os.makedirs(os.path.dirname(os.path.join(self.ws, rel)), exist_ok=True)
            with open(os.path.join(self.ws, rel), "w") as fh:
                fh.write(text)
        if bundle:
            try:
                os.remove(os.path.join(self.ws, bundle))
            except OSError:
                pass
        if a.get("exit_code", 0) != 0:
            raise StepFailed(a["exit_code"], a.get("stderr", ""))
        if "reply" in a and bundle:
            with open(os.path.join(self.ws, bundle), "w") as fh:
                json.dump(a["reply"], fh)
        return {"exit_code": 0, "output": a.get("stdout", ""), "artifacts": self.read_outputs(step, cx)}

    def call(self, step, cx):
        doc = self.load(cx["imports"][step["call"]])
        given = {k: self.ref(v["ref"], cx) if isinstance(v, dict) else v for k, v in step.get("with", {}).items()}
        status, outputs, error = self.run_file(doc, given)
        if status != "completed":
            raise StepFailed(1, "call " + step["call"] + ": " + str(error))
        return {"exit_code": 0, "artifacts": outputs}

    def for_each(self, step, cx):
        fe = step["for_each"]
        items = self.lookup(fe["items_from"], cx)
        for i, item in enumerate(items):
            inner = dict(cx, local={}, loop=(i, len(items)), aliases=dict(cx.get("aliases", {}), **{fe.get("as", "item"): item}))
            self.loops.append((i, len(items)))
            try:
                self.run_list(fe["steps"], inner, swallow=True)
            finally:
                self.loops.pop()
        return {"exit_code": 0, "artifacts": {}}

    def repeat_until(self, step, cx):
        ru = step["repeat_until"]
        for i in range(ru["max_iterations"]):
            inner = dict(cx, local={}, loop=(i, ru["max_iterations"]))
            self.loops.append((i, ru["max_iterations"]))
            try:
                self.run_list(ru["steps"], inner)
            finally:
                self.loops.pop()
            outputs = {k: self.ref(v["from"]["ref"], inner) for k, v in ru["outputs"].items()}
            if self.predicate(ru["condition"], dict(inner, outputs=outputs)):
                return {"exit_code": 0, "artifacts": outputs}
        if "on_exhausted" in ru:
            outputs.update(ru["on_exhausted"]["outputs"])
            return {"exit_code": 0, "artifacts": outputs}
        raise StepFailed(1, "repeat_until_iterations_exhausted")

    def step(self, step, cx):
        if "command" in step:
            return self.command(step, cx)
        if "provider" in step:
            tries = step.get("retries", {}).get("max", 0) + 1
            for attempt in range(1, tries + 1):
                try:
                    return self.provider(step, cx, attempt)
                except StepFailed:
                    if attempt == tries:
                        raise
        if "call" in step:
            return self.call(step, cx)
        if "for_each" in step:
            return self.for_each(step, cx)
        if "repeat_until" in step:
            return self.repeat_until(step, cx)
        if "if" in step:
            branch = step["then"] if self.predicate(step["if"], cx) else step["else"]
            self.run_list(branch, dict(cx, local={}))
            return {"exit_code": 0, "artifacts": {}}
        if "match" in step:
            case = self.ref(step["match"]["ref"], cx)
            self.run_list(step["match"]["cases"][case], dict(cx, local={}))
            return {"exit_code": 0, "artifacts": {}}
        raise StepFailed(2, "unknown step form in " + step["name"])

    def run_list(self, steps, cx, top=False, swallow=False):
        names = [s["name"] for s in steps]
        i = 0
        while i < len(steps):
            s = steps[i]
            route = None
            if "when" in s and not self.predicate(s["when"], cx):
                cx["local"][s["name"]] = {"outcome": {"status": "skipped"}, "artifacts": {}}
                i += 1
                continue
            retries = s.get("retries", {}).get("max", 0) if "command" in s else 0
            for attempt in range(retries + 1):
                try:
                    result = self.step(s, cx)
                    result["outcome"] = {"status": "completed"}
                    route = s.get("on", {}).get("success")
                    failed = None
                    break
                except StepFailed as f:
                    result = {"exit_code": f.code, "outcome": {"status": "failed"}, "artifacts": {}}
                    route = s.get("on", {}).get("failure")
                    failed = f
            cx["local"][s["name"]] = result
            if top:
                cx["root"][s["name"]] = result
            if failed and not route and not swallow:
                raise failed
            route = route or s.get("on", {}).get("always")
            if route:
                if route["goto"] == "_end":
                    return
                i = names.index(route["goto"])
            else:
                i += 1

    def load(self, name):
        with open(os.path.join(self.dir, name)) as fh:
            return yaml.safe_load(fh)

    def run_file(self, doc, given):
        inputs = {}
        for k, c in doc.get("inputs", {}).items():
            if k in given:
                v = given[k]
                inputs[k] = int(v) if c["type"] == "integer" and isinstance(v, str) else v
            elif "default" in c:
                inputs[k] = c["default"]
            elif c.get("required", True):
                return "failed", {}, "missing input " + k
        cx = {"inputs": inputs, "root": {}, "local": {}, "imports": doc.get("imports", {})}
        cx["local"] = cx["root"]
        try:
            self.run_list(doc["steps"], cx, top=True)
        except StepFailed as f:
            return "failed", {}, "%s (exit %s)" % (f.message, f.code)
        outputs = {k: self.ref(v["from"]["ref"], cx) for k, v in doc.get("outputs", {}).items()}
        return "completed", outputs, None


def main(argv):
    directory, entry = argv[0], argv[1]
    opts = {"--input": [], "--map": [], "--workspace": [None], "--answers": [None]}
    rest = argv[2:]
    for flag, value in zip(rest[::2], rest[1::2]):
        opts[flag].append(value)
    answers = {}
    if opts["--answers"][-1]:
        with open(opts["--answers"][-1]) as fh:
            answers = json.load(fh)
    keymap = dict(m.split("=", 1) for m in opts["--map"])
    ws = opts["--workspace"][-1]
    sim = Sim(directory, ws, answers, keymap)
    doc = sim.load(entry)
    given = dict(i.split("=", 1) for i in opts["--input"])
    status, outputs, error = sim.run_file(doc, given)
    result = None
    path = os.path.join(ws, "state", doc["name"], "result.json")
    if status == "completed" and os.path.exists(path):
        with open(path) as fh:
            result = json.load(fh)
    print(json.dumps({"status": status, "outputs": outputs, "result": result, "error": error}))


if __name__ == "__main__":
    main(sys.argv[1:])
