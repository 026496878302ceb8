//! The run journal: an append-only JSON-lines file. Appending an event is
//! one buffered write and one flush, O(1) whatever the journal's length; the
//! journal is never rewritten. Reading tolerates a torn last line (a crash
//! in the middle of a write) by ignoring it; damage anywhere else is an
//! error that names the line.

mod event;

pub use event::{Artifact, Event, Record, StepError, StepKind, Usage};

use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

pub struct JournalWriter {
    path: PathBuf,
    file: File,
    next_seq: u64,
    line: Vec<u8>,
}

impl JournalWriter {
    /// Creates a new journal (fails if one exists: runs never share one).
    pub fn create(path: &Path) -> io::Result<Self> {
        let file = OpenOptions::new()
            .append(true)
            .create_new(true)
            .open(path)?;
        Ok(JournalWriter {
            path: path.to_path_buf(),
            file,
            next_seq: 1,
            line: Vec::with_capacity(512),
        })
    }

    /// Opens an existing journal to append after its last whole record. A
    /// torn last line is cut off first so the next record starts cleanly.
    pub fn append_to(path: &Path) -> io::Result<(Self, Vec<Record>)> {
        let (records, whole_len) = read_with_len(path)?;
        let file = OpenOptions::new().write(true).open(path)?;
        if file.metadata()?.len() != whole_len {
            file.set_len(whole_len)?;
        }
        drop(file);
        let file = OpenOptions::new().append(true).open(path)?;
        let next_seq = records.last().map_or(1, |r| r.seq + 1);
        Ok((
            JournalWriter {
                path: path.to_path_buf(),
                file,
                next_seq,
                line: Vec::with_capacity(512),
            },
            records,
        ))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one event and flushes it to the operating system before
    /// returning, so it survives a crash of this process.
    pub fn append(&mut self, at_ms: u64, event: Event) -> io::Result<Record> {
        let record = Record {
            seq: self.next_seq,
            at_ms,
            event,
        };
        self.line.clear();
        serde_json::to_writer(&mut self.line, &record).map_err(io::Error::other)?;
        self.line.push(b'\n');
        // One write call per record: a crash leaves at most a torn last line.
        self.file.write_all(&self.line)?;
        self.file.flush()?;
        self.next_seq += 1;
        Ok(record)
    }
}

/// Reads every whole record of a journal; a torn last line is ignored.
pub fn read(path: &Path) -> io::Result<Vec<Record>> {
    read_with_len(path).map(|(records, _)| records)
}

/// The records and the byte length of the whole (untorn) part.
fn read_with_len(path: &Path) -> io::Result<(Vec<Record>, u64)> {
    let mut reader = BufReader::new(File::open(path)?);
    let mut records = Vec::new();
    let mut buf = Vec::new();
    let mut whole_len = 0u64;
    let mut line_no = 0usize;
    loop {
        buf.clear();
        let n = reader.read_until(b'\n', &mut buf)?;
        if n == 0 {
            break;
        }
        line_no += 1;
        // Only the last line can lack its newline: a write cut by a crash.
        if buf.last() != Some(&b'\n') {
            break;
        }
        match serde_json::from_slice::<Record>(&buf) {
            Ok(record) => {
                records.push(record);
                whole_len += n as u64;
            }
            Err(_) if buf.iter().all(u8::is_ascii_whitespace) => whole_len += n as u64,
            // A damaged final line is a torn write too.
            Err(_) if reader.fill_buf()?.is_empty() => break,
            Err(e) => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "{}: line {line_no} is not a journal record: {e}",
                        path.display()
                    ),
                ));
            }
        }
    }
    Ok((records, whole_len))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn started(step: &str) -> Event {
        Event::StepStarted {
            step: step.into(),
            kind: StepKind::Command,
            identity: "abc".into(),
            parts: Default::default(),
            workflow: None,
        }
    }

    #[test]
    fn appends_and_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.jsonl");
        let mut w = JournalWriter::create(&path).unwrap();
        w.append(1, started("a")).unwrap();
        w.append(2, started("b")).unwrap();
        let records = read(&path).unwrap();
        assert_eq!(records.len(), 2);
        assert_eq!(records[1].seq, 2);
        assert_eq!(records[1].event, started("b"));
    }

    #[test]
    fn torn_last_line_is_ignored_and_cut_on_append() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.jsonl");
        let mut w = JournalWriter::create(&path).unwrap();
        w.append(1, started("a")).unwrap();
        drop(w);
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(br#"{"seq":2,"at_ms":2,"event":"step_sta"#)
            .unwrap();
        drop(f);
        assert_eq!(read(&path).unwrap().len(), 1);
        let (mut w, records) = JournalWriter::append_to(&path).unwrap();
        assert_eq!(records.len(), 1);
        w.append(3, started("c")).unwrap();
        let records = read(&path).unwrap();
        assert_eq!(records.len(), 2);
        assert_eq!(records[1].seq, 2);
    }

    #[test]
    fn damage_before_the_end_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.jsonl");
        std::fs::write(&path, "garbage\n{\"seq\":1}\n").unwrap();
        let err = read(&path).unwrap_err();
        assert!(err.to_string().contains("line 1"), "{err}");
    }
}
