//! Turning an import file into rows, one reader per format. Every reader is bounded:
//! special files are refused before they are opened, the file's size is capped, and no
//! line may grow past [`MAX_LINE_BYTES`] (a file with no line ends is not rows).

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use serde::de::DeserializeSeed;

use super::json::ExportSeed;
use super::{
    cell, import_row_options, ImportError, ImportRow, Importer, InputFormat, CSV_HEADER,
    CSV_OPTIONAL,
};
use crate::files::{open_bounded, LineBounded, MAX_LINE_BYTES};

/// A row as the CSV reader hands it over: row and line numbers, the row or why it
/// could not be read.
type ReadRow = (usize, u64, Result<ImportRow, String>);

/// Rows the CSV reader thread hands over at a time.
const CSV_BATCH: usize = 4096;

/// A reader of the file's bytes, capped per line.
type Input = BufReader<LineBounded<File>>;

fn unreadable(path: &Path, what: String) -> ImportError {
    ImportError::Unreadable {
        path: path.to_path_buf(),
        what,
    }
}

fn spool_err(path: &Path) -> impl Fn(std::io::Error) -> ImportError + '_ {
    move |e| unreadable(path, format!("cannot write the import's side file: {e}"))
}

/// Reads every row of `path` into `imp`, reporting progress in bytes read.
pub fn read_rows(
    path: &Path,
    format: InputFormat,
    imp: &mut Importer<'_>,
    progress: &dyn Fn(u64),
) -> Result<(), ImportError> {
    let (file, _) = open_bounded(path, imp.max_file_bytes())
        .map_err(|e| unreadable(path, format!("cannot import it: {e}")))?;
    let input = BufReader::with_capacity(1 << 20, LineBounded::new(file, MAX_LINE_BYTES));
    match format {
        InputFormat::Csv => read_csv(path, input, imp, progress),
        InputFormat::Ron => read_ron(path, input, imp, progress),
        InputFormat::Json => read_json(path, input, imp),
    }
}

fn read_csv(
    path: &Path,
    input: Input,
    imp: &mut Importer<'_>,
    progress: &dyn Fn(u64),
) -> Result<(), ImportError> {
    let mut rdr = csv::ReaderBuilder::new().flexible(false).from_reader(input);
    let headers = rdr
        .headers()
        .map_err(|e| unreadable(path, format!("cannot read the CSV header: {e}")))?
        .clone();
    check_csv_header(&headers).map_err(|e| unreadable(path, e))?;
    // A thread of its own reads and splits the CSV, so that reading overlaps with
    // checking; batches go through a short queue.
    let (tx, rx) = std::sync::mpsc::sync_channel::<(Vec<ReadRow>, u64)>(2);
    let reader = std::thread::scope(|scope| {
        let reader = scope.spawn(move || csv_rows(rdr, &headers, tx));
        for (batch, bytes) in rx {
            for (row, line, item) in batch {
                match item {
                    Ok(r) => imp.row(row, Some(line), r).map_err(spool_err(path))?,
                    Err(reason) => imp.bad_row(row, Some(line), reason),
                }
            }
            progress(bytes);
        }
        Ok::<_, ImportError>(reader.join())
    })?;
    match reader {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(unreadable(path, e)),
        Err(_) => Err(unreadable(path, "the CSV reader failed".into())),
    }
}

/// The CSV reader thread: records to rows, in batches, until the file ends or the
/// other side stops listening.
fn csv_rows(
    mut rdr: csv::Reader<Input>,
    headers: &csv::StringRecord,
    tx: std::sync::mpsc::SyncSender<(Vec<ReadRow>, u64)>,
) -> Result<(), String> {
    let mut record = csv::StringRecord::new();
    let mut batch = Vec::with_capacity(CSV_BATCH);
    let mut row = 0;
    loop {
        row += 1;
        let line = rdr.position().line();
        let item = match rdr.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => csv_row(&record, headers),
            Err(e) => match e.kind() {
                csv::ErrorKind::UnequalLengths { len, expected_len, .. } => Err(format!(
                    "has {len} fields where the header has {expected_len}: a field is missing or a quote is not closed"
                )),
                csv::ErrorKind::Utf8 { .. } => Err("is not valid UTF-8".into()),
                _ => return Err(format!("row {row} (line {line}): {e}")),
            },
        };
        batch.push((row, line, item));
        if batch.len() == CSV_BATCH {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(CSV_BATCH));
            if tx.send((full, rdr.position().byte())).is_err() {
                return Ok(());
            }
        }
    }
    let _ = tx.send((batch, rdr.position().byte()));
    Ok(())
}

/// One CSV record as a row, the spreadsheet guard of an export taken off its cells.
fn csv_row(record: &csv::StringRecord, headers: &csv::StringRecord) -> Result<ImportRow, String> {
    let result = if record.iter().any(|f| f.starts_with('\'')) {
        let plain: csv::StringRecord = record.iter().map(cell::unguard).collect();
        plain.deserialize::<ImportRow>(Some(headers))
    } else {
        record.deserialize::<ImportRow>(Some(headers))
    };
    result.map_err(|e| e.to_string())
}

fn read_ron(
    path: &Path,
    mut input: Input,
    imp: &mut Importer<'_>,
    progress: &dyn Fn(u64),
) -> Result<(), ImportError> {
    let (mut line_no, mut row, mut bytes) = (0u64, 0usize, 0u64);
    let mut buf = String::new();
    loop {
        buf.clear();
        let n = input
            .read_line(&mut buf)
            .map_err(|e| unreadable(path, format!("line {}: {e}", line_no + 1)))?;
        if n == 0 {
            return Ok(());
        }
        line_no += 1;
        bytes += n as u64;
        let t = buf.trim();
        if t.is_empty() || t.starts_with("//") {
            continue;
        }
        row += 1;
        match import_row_options().from_str::<ImportRow>(t) {
            Ok(r) => imp.row(row, Some(line_no), r).map_err(spool_err(path))?,
            Err(e) => imp.bad_row(
                row,
                Some(line_no),
                format!("column {}: {}; each line holds one row such as (source:\"ap\",subject:\"x-2023\",property:\"deaths\",value:\"63\")", e.span.start.col, e.code),
            ),
        }
        if row % 4096 == 0 {
            progress(bytes);
        }
    }
}

fn read_json(path: &Path, input: Input, imp: &mut Importer<'_>) -> Result<(), ImportError> {
    let mut de = serde_json::Deserializer::from_reader(input);
    let mut failure = None;
    let seed = ExportSeed {
        imp,
        failure: &mut failure,
    };
    let result = seed.deserialize(&mut de).and_then(|_| de.end());
    if let Some(e) = failure {
        return Err(spool_err(path)(e));
    }
    result.map_err(|e| {
        unreadable(
            path,
            format!(
                "not the JSON `export --format json` writes ({e}); expected {{\"sources\": [...], \"claims\": [...]}}"
            ),
        )
    })
}

fn check_csv_header(headers: &csv::StringRecord) -> Result<(), String> {
    let expected = CSV_HEADER.join(",");
    for h in headers {
        if !CSV_HEADER.contains(&h) && !CSV_OPTIONAL.contains(&h) {
            return Err(format!(
                "unknown CSV column {h:?}: the header is {expected} (optional: {})",
                CSV_OPTIONAL.join(", ")
            ));
        }
    }
    for need in ["source", "subject", "property"] {
        if !headers.iter().any(|h| h == need) {
            return Err(format!(
                "the CSV header has no {need:?} column: it must be {expected}"
            ));
        }
    }
    Ok(())
}
