//! What `pos-api` and `pos-worker` both read from the environment, read one way: the same
//! variables, blank values counted as unset, the same defaults (`APP_ENV`, `DATA_DIR`,
//! `DATABASE_URL`, `LOG_FORMAT`). `pos-api`'s own settings build on [`Basics`].

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use domain::db::DatabaseTarget;

/// `development` (the default) or `production`, which makes secrets mandatory and defaults
/// stricter (JSON logs, no introspection, no cross-origin access).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppEnv {
    Development,
    Production,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// A variable that is missing or malformed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{var}: {message}")]
pub struct ConfigError {
    pub var: &'static str,
    pub message: String,
}

/// The settings every binary shares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Basics {
    pub app_env: AppEnv,
    /// Where the SQLite file (and pos-api's generated signing key) live.
    pub data_dir: PathBuf,
    pub database: DatabaseTarget,
    pub log_format: LogFormat,
}

impl Basics {
    pub fn from_vars(env: &Vars) -> Result<Self, ConfigError> {
        let app_env = match env.get("APP_ENV").as_deref() {
            None | Some("development") | Some("dev") => AppEnv::Development,
            Some("production") | Some("prod") => AppEnv::Production,
            Some(other) => {
                return Err(env.error(
                    "APP_ENV",
                    format!("expected development or production, got {other:?}"),
                ));
            }
        };
        let production = app_env == AppEnv::Production;
        let data_dir = PathBuf::from(env.get("DATA_DIR").unwrap_or_else(|| "./data".into()));
        let database = match env.get("DATABASE_URL") {
            Some(url) => {
                let url = with_password(env, url)?;
                DatabaseTarget::parse(&url).map_err(|m| env.error("DATABASE_URL", m))?
            }
            None => DatabaseTarget::Sqlite(data_dir.join("pos.db")),
        };
        let log_format = match env.get("LOG_FORMAT").as_deref() {
            None if production => LogFormat::Json,
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(env.error(
                    "LOG_FORMAT",
                    format!("expected text or json, got {other:?}"),
                ));
            }
        };
        Ok(Basics {
            app_env,
            data_dir,
            database,
            log_format,
        })
    }
}

/// `DATABASE_URL` with `DATABASE_PASSWORD` put into it, percent-encoded: a password with `@`,
/// `/`, `:` or `#` breaks a URL written by hand (compose builds the URL without it). A URL that
/// names another password is an error: set it in one place.
fn with_password(env: &Vars, url: String) -> Result<String, ConfigError> {
    let Some(password) = env.0.get("DATABASE_PASSWORD").filter(|p| !p.is_empty()) else {
        return Ok(url);
    };
    let mut parsed = url::Url::parse(&url)
        .map_err(|e| env.error("DATABASE_URL", format!("not a valid URL: {e}")))?;
    if parsed.password().is_some() {
        return Err(env.error(
            "DATABASE_PASSWORD",
            "DATABASE_URL names a password too; set it in one place",
        ));
    }
    parsed
        .set_password(Some(password))
        .map_err(|()| env.error("DATABASE_URL", "this URL cannot hold a password"))?;
    Ok(parsed.into())
}

/// The variables, read one way by every binary: a blank value counts as unset, and a bad one
/// is a [`ConfigError`] naming it.
pub struct Vars<'a>(pub &'a HashMap<String, String>);

impl Vars<'_> {
    /// A set, non-blank variable.
    pub fn get(&self, var: &str) -> Option<String> {
        self.0
            .get(var)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    }

    pub fn error(&self, var: &'static str, message: impl Into<String>) -> ConfigError {
        ConfigError {
            var,
            message: message.into(),
        }
    }

    pub fn parse<T: std::str::FromStr>(
        &self,
        var: &'static str,
        default: T,
    ) -> Result<T, ConfigError>
    where
        T::Err: std::fmt::Display,
    {
        match self.get(var) {
            None => Ok(default),
            Some(raw) => raw
                .parse()
                .map_err(|e| self.error(var, format!("invalid value {raw:?}: {e}"))),
        }
    }

    /// A whole number of at least 1.
    pub fn positive<T>(&self, var: &'static str, default: T) -> Result<T, ConfigError>
    where
        T: std::str::FromStr + PartialOrd + From<u8>,
        T::Err: std::fmt::Display,
    {
        let value = self.parse(var, default)?;
        if value < T::from(1) {
            return Err(self.error(var, "must be at least 1"));
        }
        Ok(value)
    }

    pub fn flag(&self, var: &'static str, default: bool) -> Result<bool, ConfigError> {
        match self.get(var).map(|v| v.to_lowercase()).as_deref() {
            None => Ok(default),
            Some("1" | "true" | "yes" | "on") => Ok(true),
            Some("0" | "false" | "no" | "off") => Ok(false),
            Some(other) => Err(self.error(var, format!("expected true or false, got {other:?}"))),
        }
    }

    /// `900`, `900s`, `15m`, `12h`, `30d`: a bare number is seconds.
    pub fn duration(&self, var: &'static str, default: Duration) -> Result<Duration, ConfigError> {
        let Some(raw) = self.get(var) else {
            return Ok(default);
        };
        let parsed = match raw.parse::<u64>() {
            Ok(secs) => Ok(Duration::from_secs(secs)),
            Err(_) => humantime::parse_duration(&raw).map_err(|e| e.to_string()),
        };
        match parsed {
            Ok(d) if !d.is_zero() => Ok(d),
            Ok(_) => Err(self.error(var, "must be longer than zero")),
            Err(e) => Err(self.error(
                var,
                format!("invalid duration {raw:?} ({e}); write e.g. 900, 15m, 12h or 30d"),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn basics(pairs: &[(&str, &str)]) -> Result<Basics, ConfigError> {
        let vars: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Basics::from_vars(&Vars(&vars))
    }

    #[test]
    fn blank_values_count_as_unset_and_data_dir_places_the_sqlite_file() {
        let read = basics(&[
            ("DATABASE_URL", "  "),
            ("DATA_DIR", "/srv/pos"),
            ("LOG_FORMAT", ""),
        ])
        .unwrap();

        assert_eq!(
            read.database,
            DatabaseTarget::Sqlite(PathBuf::from("/srv/pos/pos.db"))
        );
        assert_eq!(read.log_format, LogFormat::Text);
    }

    #[test]
    fn a_database_password_with_url_characters_goes_in_encoded() {
        let password = "p@ss/w:rd#1?";
        let read = basics(&[
            ("DATABASE_URL", "postgres://pos@db:5432/pos"),
            ("DATABASE_PASSWORD", password),
        ])
        .unwrap();

        let DatabaseTarget::Postgres(url) = read.database else {
            panic!("not PostgreSQL");
        };
        let parsed = url::Url::parse(&url).unwrap();
        assert_eq!(parsed.host_str(), Some("db"));
        assert_eq!(parsed.path(), "/pos");
        let decoded =
            url::form_urlencoded::parse(format!("p={}", parsed.password().unwrap()).as_bytes())
                .next()
                .unwrap()
                .1
                .into_owned();
        assert_eq!(decoded, password);
        let twice = basics(&[
            ("DATABASE_URL", "postgres://pos:other@db/pos"),
            ("DATABASE_PASSWORD", password),
        ]);
        assert_eq!(twice.unwrap_err().var, "DATABASE_PASSWORD");
    }

    #[test]
    fn production_logs_json_unless_told_otherwise() {
        assert_eq!(
            basics(&[("APP_ENV", "production")]).unwrap().log_format,
            LogFormat::Json
        );
        assert_eq!(
            basics(&[("APP_ENV", "production"), ("LOG_FORMAT", "text")])
                .unwrap()
                .log_format,
            LogFormat::Text
        );
        assert_eq!(
            basics(&[("APP_ENV", "staging")]).unwrap_err().var,
            "APP_ENV"
        );
    }
}
