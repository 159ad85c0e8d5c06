//! Where scripts come from: files, folders of `*.zinit`, `-` (stdin) and
//! `-e 'TEXT'` (inline, like `sh -c`). Every read is bounded by
//! [`MAX_SCRIPT_BYTES`], so `zinit check /dev/zero` stops with an error
//! instead of filling the memory.

use crate::check::SourceFile;
use crate::syntax::SyntaxError;
use crate::syntax::source::decode_owned;
use std::io::Read;
use std::path::{Path, PathBuf};

/// A script read into memory, ready to parse.
#[derive(Debug, Clone)]
pub struct LoadedScript {
    pub file: SourceFile,
    /// Set when the bytes were not valid UTF-8 (the text is then lossy).
    pub decode_error: Option<SyntaxError>,
}

/// An input that could not be read: exit code 2. `path` is empty when the
/// error is about no input in particular.
#[derive(Debug, thiserror::Error)]
#[error("{}{message}", if path.is_empty() { String::new() } else { format!("{path}: ") })]
pub struct InputError {
    pub path: String,
    pub message: String,
}

/// The largest script zinit reads: far beyond any real one, small enough
/// that reading, parsing and reporting on it stay within memory.
pub const MAX_SCRIPT_BYTES: u64 = 64 * 1024 * 1024;

pub const STDIN_NAME: &str = "<stdin>";
pub const INLINE_NAME: &str = "<inline>";

pub fn inline(text: &str) -> LoadedScript {
    LoadedScript {
        file: SourceFile::new(INLINE_NAME, text),
        decode_error: None,
    }
}

/// One script: `-e TEXT`, or a path (`-` for stdin). Exactly one must be given.
pub fn load_one(path: Option<&str>, inline_text: Option<&str>) -> Result<LoadedScript, InputError> {
    match (path, inline_text) {
        (_, Some(text)) => Ok(inline(text)),
        (Some(path), None) => load_path_arg(path),
        (None, None) => Err(InputError {
            // The caller prefixes `zinit: `; naming zinit again would say it twice.
            path: String::new(),
            message: "no script given: name a FILE, `-` for standard input, or `-e 'SCRIPT'`"
                .into(),
        }),
    }
}

/// Every script named: files, `-`, and folders searched for `*.zinit`
/// (recursively, in sorted order so output is stable). With no path and no
/// inline text, the current folder is searched.
pub fn load_many(
    paths: &[String],
    inline_text: Option<&str>,
) -> Result<Vec<LoadedScript>, InputError> {
    let mut scripts = Vec::new();
    if let Some(text) = inline_text {
        scripts.push(inline(text));
    }
    let default = [".".to_string()];
    let paths = if paths.is_empty() && inline_text.is_none() {
        &default[..]
    } else {
        paths
    };
    for arg in paths {
        if arg == "-" {
            scripts.push(load_path_arg(arg)?);
            continue;
        }
        let path = Path::new(arg);
        if path.is_dir() {
            let mut found = Vec::new();
            find_scripts(path, &mut found).map_err(|e| io_error(arg, &e))?;
            found.sort();
            for file in found {
                scripts.push(load_file(&file)?);
            }
        } else {
            scripts.push(load_file(path)?);
        }
    }
    Ok(scripts)
}

fn load_path_arg(arg: &str) -> Result<LoadedScript, InputError> {
    if arg == "-" {
        let bytes = read_limited(std::io::stdin().lock(), STDIN_NAME)?;
        Ok(from_bytes(STDIN_NAME.to_string(), bytes))
    } else {
        load_file(Path::new(arg))
    }
}

fn load_file(path: &Path) -> Result<LoadedScript, InputError> {
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| io_error(&name, &e))?;
    // A regular file says its size: refuse a huge one without reading it,
    // and read the others into one buffer of that size.
    let mut size = 0;
    if let Ok(meta) = file.metadata() {
        if meta.is_file() && meta.len() > MAX_SCRIPT_BYTES {
            return Err(too_large(&name));
        }
        size = meta.len();
    }
    let bytes = match read_in_parts(&file, size) {
        Some(bytes) => bytes,
        None => read_limited_sized(file, &name, size)?,
    };
    Ok(from_bytes(name, bytes))
}

/// Below this a file is read by one thread: its pages are few.
const MIN_PART_BYTES: u64 = 1 << 20;

/// A large regular file read in parts, one thread each (`pread`, the
/// file's offset untouched). Most of a large read is the kernel faulting
/// in and filling the buffer's pages, which parallel readers do at once;
/// a 10 MB script was otherwise a twelfth of `zinit check` on one core
/// before the parse could start. `None` when a part is not worth it, or
/// the file changed size while it was read (the caller reads it again,
/// from the start, in one piece).
fn read_in_parts(file: &std::fs::File, size: u64) -> Option<Vec<u8>> {
    use std::os::unix::fs::FileExt;
    let parts = (crate::cores::count() as u64).min(size / MIN_PART_BYTES);
    if parts < 2 || size > MAX_SCRIPT_BYTES {
        return None;
    }
    let size = usize::try_from(size).ok()?;
    // Zeroed memory fresh from the system costs nothing until written; one
    // byte more than the size tells a file that grew.
    let mut bytes = vec![0u8; size + 1];
    crate::pages::prefer_huge(bytes.as_ptr(), bytes.len());
    let (body, past_end) = bytes.split_at_mut(size);
    let part_len = size.div_ceil(parts as usize);
    let read_all = std::thread::scope(|scope| {
        let mut parts = body.chunks_mut(part_len).enumerate();
        let (_, first) = parts.next()?;
        let others: Vec<_> = parts
            .map(|(k, part)| scope.spawn(move || file.read_exact_at(part, (k * part_len) as u64)))
            .collect();
        let mut read = file.read_exact_at(first, 0).is_ok();
        for other in others {
            read &= other.join().is_ok_and(|r| r.is_ok());
        }
        Some(read)
    });
    let unchanged = read_all? && file.read_at(past_end, size as u64).ok()? == 0;
    bytes.truncate(size);
    unchanged.then_some(bytes)
}

/// All of `reader`, or an error once it passes [`MAX_SCRIPT_BYTES`]
/// (checked by reading, so devices and pipes are bounded too).
pub fn read_limited(reader: impl Read, name: &str) -> Result<Vec<u8>, InputError> {
    read_limited_sized(reader, name, 0)
}

/// [`read_limited`] into a buffer sized for `expected` bytes (one more, so
/// that reading to the end needs no second buffer): grown by doubling, a
/// 10 MB script would be copied five times and leave a 16 MB buffer behind.
fn read_limited_sized(reader: impl Read, name: &str, expected: u64) -> Result<Vec<u8>, InputError> {
    let capacity = usize::try_from(expected.min(MAX_SCRIPT_BYTES)).unwrap_or(0);
    let mut bytes = Vec::with_capacity(capacity + 1);
    reader
        .take(MAX_SCRIPT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_error(name, &e))?;
    if bytes.len() as u64 > MAX_SCRIPT_BYTES {
        return Err(too_large(name));
    }
    Ok(bytes)
}

fn too_large(name: &str) -> InputError {
    InputError {
        path: name.to_string(),
        message: format!(
            "larger than {} MiB, the most zinit reads; is this a script?",
            MAX_SCRIPT_BYTES / (1024 * 1024)
        ),
    }
}

fn from_bytes(name: String, bytes: Vec<u8>) -> LoadedScript {
    let (text, decode_error) = decode_owned(bytes);
    LoadedScript {
        file: SourceFile::new(name, text),
        decode_error,
    }
}

fn find_scripts(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let file_type = entry.file_type()?;
        if file_type.is_dir() {
            let hidden = path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'));
            let build_output = path
                .file_name()
                .is_some_and(|n| n == "target" || n == "node_modules");
            if !hidden && !build_output {
                find_scripts(&path, out)?;
            }
        } else if path.extension().is_some_and(|e| e == "zinit") {
            out.push(path);
        }
    }
    Ok(())
}

fn io_error(path: &str, e: &std::io::Error) -> InputError {
    InputError {
        path: path.to_string(),
        message: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_file_read_in_parts_is_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("large.zinit");
        // Lines of changing lengths, with a multi-byte character, so that a
        // part's edge falls anywhere.
        let text: String = (0..120_000)
            .map(|k| format!("sleep {k}ms # é{}\n", "x".repeat(k % 13)))
            .collect();
        std::fs::write(&path, &text).unwrap();
        assert!(text.len() as u64 > 2 * MIN_PART_BYTES);
        let file = std::fs::File::open(&path).unwrap();
        let parts = read_in_parts(&file, text.len() as u64);
        if crate::cores::count() > 1 {
            assert_eq!(parts.as_deref(), Some(text.as_bytes()));
        }
        // A size that is no longer the file's is not trusted.
        assert_eq!(read_in_parts(&file, text.len() as u64 - 7), None);
        assert_eq!(read_in_parts(&file, text.len() as u64 + 7), None);
        let loaded = load_file(&path).unwrap();
        assert_eq!(loaded.file.text.as_ref(), text.as_str());
        assert!(loaded.decode_error.is_none());
    }
}
