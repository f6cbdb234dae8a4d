//! Configuration from environment variables (and an optional `.env`), checked once at start-up.
//!
//! A missing or malformed value stops the process with one line naming the variable; nothing
//! reads the environment after this. `.env.example` documents every variable.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use domain::auth::{LoginLimits, Password};
use domain::db::DatabaseTarget;
use domain::money::Currency;
pub use worker::config::{AppEnv, ConfigError, LogFormat};
use worker::config::{Basics, Vars};

/// Which browser origins may call the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CorsOrigins {
    Any,
    List(Vec<String>),
}

/// Where the access-token signing key comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JwtSecret {
    Configured(Vec<u8>),
    /// Generated on first start and kept in the data directory, so tokens survive restarts.
    InDataDir,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub app_env: AppEnv,
    pub database: DatabaseTarget,
    pub database_max_connections: u32,
    pub data_dir: PathBuf,
    /// `REDIS_URL`, with `REDIS_PASSWORD` when that is set (the seed's way of passing it).
    pub redis: Option<fred::prelude::Config>,
    pub bind_addr: SocketAddr,
    pub jwt_secret: JwtSecret,
    pub admin_password: Option<String>,
    pub access_token_ttl: Duration,
    pub refresh_token_ttl: Duration,
    pub login_limits: LoginLimits,
    pub cors_allowed_origins: CorsOrigins,
    pub graphql_introspection: bool,
    pub graphql_max_depth: usize,
    pub graphql_max_complexity: usize,
    pub default_currency: Currency,
    pub max_body_bytes: usize,
    pub request_timeout: Duration,
    /// `GRAPHQL_MAX_BATCH`: operations one HTTP request (a JSON array) may carry.
    pub graphql_max_batch: usize,
    /// `WS_INIT_TIMEOUT`: how long a new WebSocket has to send `connection_init`.
    pub ws_init_timeout: Duration,
    /// `WS_MAX_OPERATIONS`: operations (subscriptions) running at once on one WebSocket.
    pub ws_max_operations: usize,
    /// `WS_MAX_MESSAGE_BYTES`: the largest WebSocket message after `connection_init`.
    pub ws_max_message_bytes: usize,
    pub shutdown_grace: Duration,
    /// Take the client address from `X-Forwarded-For` (its last entry, the one the proxy in
    /// front of us appended). Only behind a reverse proxy that sets it.
    pub trust_proxy_headers: bool,
    pub log_format: LogFormat,
    /// `BACKUP_DIR`: where backups are written.
    pub backup_dir: PathBuf,
    /// `BACKUP_PG_DUMP`: the `pg_dump` program (of the server's major version).
    pub backup_pg_dump: PathBuf,
    /// `BACKUP_PSQL`: the `psql` program `pos-api restore` feeds a PostgreSQL backup to.
    pub backup_psql: PathBuf,
    /// `BACKUP_CRON`: when the scheduled backup runs (seconds first, six fields); `off`
    /// schedules none.
    pub backup_cron: Option<String>,
    /// `BACKUP_TZ`: the time zone `BACKUP_CRON` is read in.
    pub backup_tz: chrono_tz::Tz,
    /// `BACKUP_RETENTION_DAYS`.
    pub backup_retention_days: u32,
    /// `BACKUP_ENCRYPTION_KEY`: an age secret key; backups are encrypted to it.
    pub backup_encryption: Option<domain::backups::EncryptionKey>,
    /// `WORKER_MODE`: whether this process runs the job runner (embedded, the default) or
    /// leaves jobs to `pos-worker` (external).
    pub worker_mode: WorkerMode,
    /// The embedding model (`EMBEDDINGS`, `EMBEDDING_MODEL_DIR`, `ORT_DYLIB_PATH`,
    /// `EMBEDDING_THREADS`); `None` with `EMBEDDINGS=off`.
    pub embeddings: Option<worker::EmbedderSettings>,
    /// `SEARCH_REFRESH_INTERVAL`: how often the search index reads changed products and new
    /// vectors (made by any instance or worker).
    pub search_refresh_interval: Duration,
    /// `SEARCH_MODEL_WAIT`: the longest a search waits for its query's embedding before it
    /// answers on codes and words (the model only has the CPU the rest leaves it).
    pub search_model_wait: Duration,
    /// Whether metrics are pushed over OTLP (`OTEL_EXPORTER_OTLP_ENDPOINT` or
    /// `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT` set; the exporter reads them and the other
    /// standard `OTEL_*` variables itself). Traces: [`worker::telemetry`].
    pub otlp_metrics: bool,
}

/// Who runs background jobs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkerMode {
    /// A runner inside `pos-api`: one command runs the whole system.
    Embedded,
    /// Separate `pos-worker` processes.
    External,
}

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_vars(&std::env::vars().collect())
    }

    /// Reads a map of variables (tests pass their own).
    pub fn from_vars(vars: &HashMap<String, String>) -> Result<Self, ConfigError> {
        let env = Vars(vars);
        let Basics {
            app_env,
            data_dir,
            database,
            log_format,
        } = Basics::from_vars(&env)?;
        let production = app_env == AppEnv::Production;
        let jwt_secret = match env.get("JWT_SECRET_KEY") {
            Some(secret) if secret.len() >= 32 => JwtSecret::Configured(secret.into_bytes()),
            Some(_) => {
                return Err(env.error(
                    "JWT_SECRET_KEY",
                    "must be at least 32 characters (e.g. `openssl rand -hex 32`)",
                ));
            }
            None if production => {
                return Err(env.error(
                    "JWT_SECRET_KEY",
                    "required when APP_ENV=production (e.g. `openssl rand -hex 32`)",
                ));
            }
            None => JwtSecret::InDataDir,
        };
        let admin_password = env.get("POS_ADMIN_PASSWORD");
        if let Some(password) = &admin_password {
            Password::parse(password.clone(), "POS_ADMIN_PASSWORD")
                .map_err(|e| env.error("POS_ADMIN_PASSWORD", e.to_string()))?;
        }
        let redis = match env.get("REDIS_URL") {
            Some(url) => {
                if !(url.starts_with("redis://") || url.starts_with("rediss://")) {
                    return Err(env.error("REDIS_URL", "expected redis://… or rediss://…"));
                }
                let mut redis = fred::prelude::Config::from_url(&url)
                    .map_err(|e| env.error("REDIS_URL", format!("not a valid Redis URL: {e}")))?;
                if let Some(password) = env.get("REDIS_PASSWORD") {
                    if redis.password.as_ref().is_some_and(|p| *p != password) {
                        return Err(env.error(
                            "REDIS_PASSWORD",
                            "REDIS_URL names another password; set it in one place",
                        ));
                    }
                    redis.password = Some(password);
                }
                Some(redis)
            }
            None => None,
        };
        let cors_allowed_origins = match env.get("CORS_ALLOWED_ORIGINS") {
            Some(list) if list.trim() == "*" => CorsOrigins::Any,
            Some(list) => CorsOrigins::List(
                list.split(',')
                    .map(str::trim)
                    .filter(|o| !o.is_empty())
                    .map(|o| {
                        if o.starts_with("http://") || o.starts_with("https://") {
                            Ok(o.trim_end_matches('/').to_owned())
                        } else {
                            Err(env.error(
                                "CORS_ALLOWED_ORIGINS",
                                format!("{o:?} is not an origin like https://pos.example.com"),
                            ))
                        }
                    })
                    .collect::<Result<_, _>>()?,
            ),
            None if production => CorsOrigins::List(Vec::new()),
            None => CorsOrigins::Any,
        };
        let currency_code = env.get("DEFAULT_CURRENCY").unwrap_or_else(|| "EUR".into());
        let default_currency = Currency::parse(&currency_code).ok_or_else(|| {
            env.error(
                "DEFAULT_CURRENCY",
                format!("{currency_code:?} is not an ISO 4217 currency code such as EUR"),
            )
        })?;

        Ok(Config {
            app_env,
            database,
            database_max_connections: env.positive("DATABASE_MAX_CONNECTIONS", 10)?,
            data_dir,
            redis,
            otlp_metrics: worker::telemetry::otlp_configured(|var| env.get(var), true),
            bind_addr: env.parse("BIND_ADDR", SocketAddr::from(([0, 0, 0, 0], 5000)))?,
            jwt_secret,
            admin_password,
            access_token_ttl: env.duration("ACCESS_TOKEN_TTL", Duration::from_secs(15 * 60))?,
            refresh_token_ttl: env
                .duration("REFRESH_TOKEN_TTL", Duration::from_secs(30 * 86_400))?,
            login_limits: LoginLimits {
                per_username: env.positive("LOGIN_MAX_FAILURES_PER_USER", 5)?,
                per_address: env.positive("LOGIN_MAX_FAILURES_PER_ADDRESS", 20)?,
                window: env.duration("LOGIN_FAILURE_WINDOW", Duration::from_secs(15 * 60))?,
            },
            cors_allowed_origins,
            graphql_introspection: env.flag("GRAPHQL_INTROSPECTION", !production)?,
            graphql_max_depth: env.positive("GRAPHQL_MAX_DEPTH", 16)?,
            graphql_max_complexity: env.positive("GRAPHQL_MAX_COMPLEXITY", 5_000)?,
            default_currency,
            max_body_bytes: env.positive("MAX_BODY_BYTES", 1024 * 1024)?,
            request_timeout: env.duration("REQUEST_TIMEOUT", Duration::from_secs(30))?,
            graphql_max_batch: env.positive("GRAPHQL_MAX_BATCH", 10)?,
            ws_init_timeout: env.duration("WS_INIT_TIMEOUT", Duration::from_secs(10))?,
            ws_max_operations: env.positive("WS_MAX_OPERATIONS", 20)?,
            ws_max_message_bytes: env.positive("WS_MAX_MESSAGE_BYTES", 64 * 1024)?,
            shutdown_grace: env.duration("SHUTDOWN_GRACE", Duration::from_secs(30))?,
            trust_proxy_headers: env.flag("TRUST_PROXY_HEADERS", false)?,
            log_format,
            backup_dir: PathBuf::from(env.get("BACKUP_DIR").unwrap_or_else(|| "./backups".into())),
            backup_pg_dump: PathBuf::from(
                env.get("BACKUP_PG_DUMP")
                    .unwrap_or_else(|| "pg_dump".into()),
            ),
            backup_psql: PathBuf::from(env.get("BACKUP_PSQL").unwrap_or_else(|| "psql".into())),
            backup_cron: match env.get("BACKUP_CRON").as_deref().map(str::trim) {
                None | Some("") => Some("0 0 2 * * *".to_owned()),
                Some("off") => None,
                Some(cron) => Some(cron.to_owned()),
            },
            backup_tz: match env.get("BACKUP_TZ") {
                None => chrono_tz::UTC,
                Some(zone) => zone.trim().parse().map_err(|_| {
                    env.error(
                        "BACKUP_TZ",
                        format!("{zone:?} is not an IANA time zone such as Europe/Madrid"),
                    )
                })?,
            },
            backup_retention_days: env.positive("BACKUP_RETENTION_DAYS", 30)?,
            backup_encryption: env
                .get("BACKUP_ENCRYPTION_KEY")
                .map(|key| domain::backups::EncryptionKey::parse(&key))
                .transpose()
                .map_err(|m| env.error("BACKUP_ENCRYPTION_KEY", m.to_string()))?,
            worker_mode: match env.get("WORKER_MODE").as_deref() {
                None | Some("embedded") => WorkerMode::Embedded,
                Some("external") => WorkerMode::External,
                Some(other) => {
                    return Err(env.error(
                        "WORKER_MODE",
                        format!("expected embedded or external, got {other:?}"),
                    ));
                }
            },
            embeddings: worker::settings::from_vars(|var| env.get(var)).map_err(|message| {
                ConfigError {
                    var: "EMBEDDINGS",
                    message,
                }
            })?,
            search_refresh_interval: env
                .duration("SEARCH_REFRESH_INTERVAL", Duration::from_secs(1))?,
            search_model_wait: env.duration("SEARCH_MODEL_WAIT", Duration::from_secs(1))?,
        })
    }

    /// What this deployment's keys in Redis start with (`pos:{namespace}:`): replicas on the
    /// same database share what they keep in Redis; other databases on the same Redis (other
    /// shops, tests) do not.
    pub fn redis_namespace(&self) -> String {
        domain::text::digest(&self.database.redacted())
    }

    /// How backups are made.
    pub fn backup_settings(&self) -> domain::backups::Settings {
        domain::backups::Settings {
            dir: self.backup_dir.clone(),
            database: self.database.clone(),
            pg_dump: self.backup_pg_dump.clone(),
            retention_days: self.backup_retention_days,
            encryption: self.backup_encryption.clone(),
        }
    }

    /// The file that keeps the generated signing key.
    pub fn jwt_secret_file(&self) -> PathBuf {
        self.data_dir.join("jwt_secret")
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn no_configuration_means_the_embedded_default() {
        let config = Config::from_vars(&vars(&[])).unwrap();

        assert_eq!(config.app_env, AppEnv::Development);
        assert_eq!(
            config.database,
            DatabaseTarget::Sqlite(PathBuf::from("./data/pos.db"))
        );
        assert_eq!(config.bind_addr.to_string(), "0.0.0.0:5000");
        assert_eq!(config.jwt_secret, JwtSecret::InDataDir);
        assert_eq!(config.access_token_ttl, Duration::from_secs(900));
        assert_eq!(config.default_currency.code(), "EUR");
        assert!(config.graphql_introspection);
        assert_eq!(config.max_body_bytes, 1024 * 1024);
    }

    #[test]
    fn production_requires_a_signing_key_and_tightens_defaults() {
        let err = Config::from_vars(&vars(&[("APP_ENV", "production")])).unwrap_err();
        assert_eq!(err.var, "JWT_SECRET_KEY");

        let config = Config::from_vars(&vars(&[
            ("APP_ENV", "production"),
            ("JWT_SECRET_KEY", &"k".repeat(32)),
            ("DATABASE_URL", "postgres://pos:pw@db/pos"),
        ]))
        .unwrap();
        assert!(!config.graphql_introspection);
        assert_eq!(config.log_format, LogFormat::Json);
        assert_eq!(config.cors_allowed_origins, CorsOrigins::List(vec![]));
    }

    #[test]
    fn each_malformed_value_names_its_variable() {
        let cases = [
            ("DATABASE_URL", "mysql://x/y"),
            ("BIND_ADDR", "localhost"),
            ("ACCESS_TOKEN_TTL", "soon"),
            ("REFRESH_TOKEN_TTL", "0"),
            ("JWT_SECRET_KEY", "short"),
            ("POS_ADMIN_PASSWORD", "1234"),
            ("CORS_ALLOWED_ORIGINS", "pos.example.com"),
            ("GRAPHQL_INTROSPECTION", "maybe"),
            ("DEFAULT_CURRENCY", "EURO"),
            ("REDIS_URL", "localhost:6379"),
            ("APP_ENV", "staging"),
            ("DATABASE_MAX_CONNECTIONS", "0"),
            ("LOGIN_MAX_FAILURES_PER_USER", "-3"),
        ];
        for (var, value) in cases {
            let err = Config::from_vars(&vars(&[(var, value)])).unwrap_err();
            assert_eq!(err.var, var, "{value:?}");
            assert!(err.to_string().starts_with(&format!("{var}: ")));
        }
    }

    #[test]
    fn the_redis_password_comes_from_the_url_or_redis_password() {
        let redis = |pairs: &[(&str, &str)]| Config::from_vars(&vars(pairs)).map(|c| c.redis);
        let url = ("REDIS_URL", "redis://redis:6379/0");
        let separate = redis(&[url, ("REDIS_PASSWORD", "s3cret")])
            .unwrap()
            .unwrap();
        assert_eq!(separate.password.as_deref(), Some("s3cret"));
        let inline = redis(&[("REDIS_URL", "redis://:s3cret@redis:6379/0")])
            .unwrap()
            .unwrap();
        assert_eq!(inline.password.as_deref(), Some("s3cret"));
        assert!(redis(&[url]).unwrap().unwrap().password.is_none());
        let both = [
            ("REDIS_URL", "redis://:one@redis:6379/0"),
            ("REDIS_PASSWORD", "two"),
        ];
        assert_eq!(redis(&both).unwrap_err().var, "REDIS_PASSWORD");
        assert!(
            redis(&[("REDIS_PASSWORD", "s3cret")]).unwrap().is_none(),
            "no Redis"
        );
    }

    #[test]
    fn durations_take_units_or_seconds() {
        let config = Config::from_vars(&vars(&[
            ("ACCESS_TOKEN_TTL", "10m"),
            ("REFRESH_TOKEN_TTL", "7d"),
            ("REQUEST_TIMEOUT", "5"),
        ]))
        .unwrap();
        assert_eq!(config.access_token_ttl, Duration::from_secs(600));
        assert_eq!(config.refresh_token_ttl, Duration::from_secs(7 * 86_400));
        assert_eq!(config.request_timeout, Duration::from_secs(5));
    }
}
