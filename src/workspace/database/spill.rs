//! A queue of values kept in an unnamed temporary file: what an ingest writes down to read back
//! later, where holding it would make its memory grow with the archive.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::marker::PhantomData;

use anyhow::{Context, Result};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Values written one after another (postcard, each after its length), then read back in order.
/// The file has no name and goes with the value: nothing is left behind by a crash.
pub(super) struct Spill<T> {
    writer: BufWriter<File>,
    written: usize,
    kind: PhantomData<T>,
}

impl<T: Serialize + DeserializeOwned> Spill<T> {
    pub(super) fn new() -> Result<Spill<T>> {
        let file = tempfile::tempfile().context("cannot create a temporary file for the ingest (is the temporary folder writable?)")?;
        Ok(Spill { writer: BufWriter::with_capacity(1 << 20, file), written: 0, kind: PhantomData })
    }

    pub(super) fn push(&mut self, value: &T) -> Result<()> {
        let encoded = postcard::to_stdvec(value)?;
        let length = u64::try_from(encoded.len())?;
        self.writer.write_all(&length.to_le_bytes()).and_then(|()| self.writer.write_all(&encoded)).context(WRITE_FAILED)?;
        self.written += 1;
        Ok(())
    }

    /// The values pushed, in order.
    pub(super) fn into_values(self) -> Result<SpillValues<T>> {
        let mut file = self.writer.into_inner().map_err(|error| error.into_error()).context(WRITE_FAILED)?;
        file.seek(SeekFrom::Start(0))?;
        Ok(SpillValues { reader: BufReader::with_capacity(1 << 20, file), left: self.written, kind: PhantomData })
    }
}

const WRITE_FAILED: &str = "cannot write the ingest's temporary file (is the disk full?)";

pub(super) struct SpillValues<T> {
    reader: BufReader<File>,
    left: usize,
    kind: PhantomData<T>,
}

impl<T: DeserializeOwned> Iterator for SpillValues<T> {
    type Item = Result<T>;

    fn next(&mut self) -> Option<Result<T>> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        Some(self.read_one())
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl<T: DeserializeOwned> SpillValues<T> {
    fn read_one(&mut self) -> Result<T> {
        const READ_FAILED: &str = "cannot read back the ingest's temporary file";
        let mut length = [0u8; 8];
        self.reader.read_exact(&mut length).context(READ_FAILED)?;
        let mut encoded = vec![0u8; usize::try_from(u64::from_le_bytes(length))?];
        self.reader.read_exact(&mut encoded).context(READ_FAILED)?;
        Ok(postcard::from_bytes(&encoded).context(READ_FAILED)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_come_back_in_the_order_they_were_pushed() {
        let mut spill: Spill<(i64, String)> = Spill::new().unwrap();
        let values = [(1, "Kyiv’s “first” count".to_string()), (7, String::new()), (-3, "x".repeat(3 << 20))];
        for value in &values {
            spill.push(value).unwrap();
        }
        let read: Vec<(i64, String)> = spill.into_values().unwrap().collect::<Result<_>>().unwrap();
        assert_eq!(read, values);
    }

    #[test]
    fn an_empty_spill_gives_nothing_back() {
        let spill: Spill<String> = Spill::new().unwrap();
        assert_eq!(spill.into_values().unwrap().count(), 0);
    }
}
