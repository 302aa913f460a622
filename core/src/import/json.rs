//! Streaming the JSON of `export --format json`: sources, then claims, one at a time,
//! never the whole document in memory.

use std::marker::PhantomData;

use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::{ImportRow, Importer, SourceRow};

/// Streams an export document: sources, then claims, one at a time.
pub(super) struct ExportSeed<'i, 'a> {
    pub(super) imp: &'i mut Importer<'a>,
    pub(super) failure: &'i mut Option<std::io::Error>,
}

impl<'de> DeserializeSeed<'de> for ExportSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ExportSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an object with \"sources\" and \"claims\" arrays")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "sources" => map.next_value_seed(Each::<SourceRow, _>(
                    |n, s| {
                        self.imp
                            .source_row(n, s)
                            .map_err(|e| *self.failure = Some(e))
                            .is_ok()
                    },
                    PhantomData,
                ))?,
                "provenance" => {
                    let head: crate::provenance::ExportHead = map.next_value()?;
                    if let Err(e) = self.imp.provenance(head) {
                        *self.failure = Some(e);
                        return Err(serde::de::Error::custom("write failed"));
                    }
                }
                "claims" => map.next_value_seed(Each::<ImportRow, _>(
                    |n, r| {
                        self.imp
                            .row(n, None, r)
                            .map_err(|e| *self.failure = Some(e))
                            .is_ok()
                    },
                    PhantomData,
                ))?,
                _ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// Hands each element of a JSON array to a callback (1-based index), without keeping
/// the array.
struct Each<T, F>(F, PhantomData<T>);

impl<'de, T: Deserialize<'de>, F: FnMut(usize, T) -> bool> DeserializeSeed<'de> for Each<T, F> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, T: Deserialize<'de>, F: FnMut(usize, T) -> bool> Visitor<'de> for Each<T, F> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an array")
    }
    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        let mut n = 0;
        while let Some(x) = seq.next_element::<T>()? {
            n += 1;
            if !(self.0)(n, x) {
                return Err(serde::de::Error::custom("write failed"));
            }
        }
        Ok(())
    }
}
