//! A ledger's settings, `ledger/config.ron`: how loose approximate words are and which
//! properties are cumulative. Owns the defaults and the file's reading and writing.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::time::DateOrder;
use crate::value::QuantityRules;

/// The settings file's name inside a ledger directory.
pub const CONFIG_FILE: &str = "config.ron";

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
    /// How slash dates (`12/4/11`) are read: `Some(MonthFirst)` or `Some(DayFirst)`.
    /// `None` (the default) refuses a slash date that reads both ways, naming both.
    pub date_order: Option<DateOrder>,
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
            date_order: None,
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
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(source) => return Err(ConfigError::Io { path, source }),
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
             // date_order: how 12/4/11 is read: Some(MonthFirst), Some(DayFirst), or None to refuse it.\n\
             // Changes apply to claims added afterwards; a claim keeps the interval it was read as.\n\
             {body}\n"
        )
    }

    /// Whether figures of `property` may grow over time.
    pub fn is_cumulative(&self, property: &str) -> bool {
        self.cumulative.iter().any(|p| p == property)
    }
}
