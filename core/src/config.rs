//! A ledger's settings, `ledger/config.ron`: how loose approximate words are, which
//! properties are cumulative and which property names are aliases of one figure. Owns
//! the defaults and the file's reading and writing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::value::QuantityRules;

/// The settings file's name inside a ledger directory.
pub const CONFIG_FILE: &str = "config.ron";
/// A settings file is small; anything larger is not one.
const CONFIG_MAX_BYTES: u64 = 1 << 20;

/// A ledger's settings. Every field has a default, so a config file may name only what
/// it changes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Slack of approximate words and ranges of vague ones.
    pub quantities: QuantityRules,
    /// Properties whose figure may grow over time (a toll): a higher figure at a later
    /// as-of is a revision, not a conflict.
    pub cumulative: Vec<String>,
    /// The ledger's name in its checkpoints (`factledger head`): a schema-less URL such
    /// as `example.org/factcheck`; unset, it is `factledger/` and the name of the
    /// directory holding the ledger.
    pub origin: Option<String>,
    /// Property names that mean the same figure: alias -> canonical name (`killed` ->
    /// `deaths`). Filters, listings and findings compare properties by their canonical
    /// name, so synonyms are not split into groups never compared.
    pub aliases: BTreeMap<String, String>,
    /// The largest file factledger reads: a source document, an import, an article.
    pub max_file_bytes: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            quantities: QuantityRules::default(),
            cumulative: [
                "deaths",
                "killed",
                "injured",
                "wounded",
                "casualties",
                "arrested",
                "displaced",
            ]
            .map(String::from)
            .to_vec(),
            origin: None,
            aliases: [
                ("killed", "deaths"),
                ("fatalities", "deaths"),
                ("dead", "deaths"),
                ("death-toll", "deaths"),
                ("wounded", "injured"),
                ("injuries", "injured"),
            ]
            .into_iter()
            .map(|(a, c)| (a.to_string(), c.to_string()))
            .collect(),
            max_file_bytes: crate::files::DEFAULT_MAX_FILE_BYTES,
        }
    }
}

/// Why the settings could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    File(crate::files::FileError),
    #[error("{path}:{line}:{col}: {msg}\nFix the file, or delete it to go back to the defaults.")]
    Parse {
        path: PathBuf,
        line: usize,
        col: usize,
        msg: String,
    },
}

impl Config {
    /// Reads `dir/config.ron`; a ledger without one has the defaults.
    pub fn load(dir: &Path) -> Result<Config, ConfigError> {
        let path = dir.join(CONFIG_FILE);
        let text = match crate::files::read_bounded(&path, CONFIG_MAX_BYTES) {
            Ok(t) => String::from_utf8_lossy(&t).into_owned(),
            Err(crate::files::FileError::Io { source, .. })
                if source.kind() == std::io::ErrorKind::NotFound =>
            {
                return Ok(Config::default())
            }
            Err(e) => return Err(ConfigError::File(e)),
        };
        ron::from_str(&text).map_err(|e| ConfigError::Parse {
            path,
            line: e.span.start.line,
            col: e.span.start.col,
            msg: e.code.to_string(),
        })
    }

    /// The defaults as an editable file, with a header saying what each part means.
    pub fn default_file_text() -> String {
        let body =
            ron::ser::to_string_pretty(&Config::default(), ron::ser::PrettyConfig::default())
                .expect("the default config serializes");
        format!(
            "// factledger settings for this ledger. Delete a field to use its default.\n\
             // quantities.approx_slack: \"about X\" means X plus or minus this fraction of X.\n\
             // quantities.nearly_slack: \"nearly X\" means [X - slack*X, X).\n\
             // quantities.vague: the interval each vague word stands for.\n\
             // cumulative: properties whose figures may grow over time (tolls).\n\
             // origin: the ledger's name in its checkpoints, e.g. Some(\"example.org/factcheck\").\n\
             // aliases: property names that mean the same figure, alias: canonical.\n\
             // max_file_bytes: the largest file read (source documents, imports, articles).\n\
             // Changes apply to claims added afterwards; a claim keeps the interval it was read as.\n\
             {body}\n"
        )
    }

    /// The ledger's name in checkpoints: `origin`, else `factledger/` and the name of
    /// the directory that holds the ledger directory `dir`.
    pub fn origin(&self, dir: &Path) -> String {
        if let Some(o) = &self.origin {
            return o.clone();
        }
        let name = dir
            .canonicalize()
            .unwrap_or_else(|_| dir.to_path_buf())
            .parent()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "ledger".into());
        let name: String = name
            .chars()
            .map(|c| {
                if c.is_whitespace() || c.is_control() || c == '+' {
                    '-'
                } else {
                    c
                }
            })
            .collect();
        format!("factledger/{name}")
    }

    /// Whether figures of `property` may grow over time.
    pub fn is_cumulative(&self, property: &str) -> bool {
        self.cumulative.iter().any(|p| p == property)
    }

    /// The name a property is compared by: its canonical name if it is an alias, else
    /// itself. One level only, so an alias cycle in a hand-edited file cannot loop.
    pub fn canonical_property<'a>(&'a self, property: &'a str) -> &'a str {
        self.aliases
            .get(property)
            .map(String::as_str)
            .unwrap_or(property)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_map_to_their_canonical_name_and_others_stay() {
        let c = Config::default();
        assert_eq!(c.canonical_property("killed"), "deaths");
        assert_eq!(c.canonical_property("fatalities"), "deaths");
        assert_eq!(c.canonical_property("deaths"), "deaths");
        assert_eq!(c.canonical_property("amount"), "amount");
    }

    #[test]
    fn a_config_file_without_aliases_keeps_the_default_ones() {
        let c: Config = ron::from_str("(cumulative: [\"deaths\"])").unwrap();
        assert_eq!(c.canonical_property("killed"), "deaths");
        let c: Config = ron::from_str("(aliases: {\"slain\": \"deaths\"})").unwrap();
        assert_eq!(c.canonical_property("slain"), "deaths");
        assert_eq!(c.canonical_property("killed"), "killed");
    }

    #[test]
    fn the_default_file_reads_back_as_the_defaults() {
        let text = Config::default_file_text();
        assert_eq!(ron::from_str::<Config>(&text).unwrap(), Config::default());
    }
}
