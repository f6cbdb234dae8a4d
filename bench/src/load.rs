//! A closed-loop load generator: each client sends its next request when the last is
//! answered. Latency is measured per request; throughput over the measured window.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;

#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub measure: Duration,
    pub warm_up: Duration,
}

/// What one scenario at one client count measured.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub requests: usize,
    pub errors: usize,
    pub per_second: f64,
    pub p50: Duration,
    pub p90: Duration,
    pub p99: Duration,
    pub max: Duration,
}

impl Outcome {
    pub fn row(&self, scenario: &str, clients: usize) -> String {
        format!(
            "{scenario:<28} {clients:>7} {:>9} {:>7} {:>10.1} {:>9.2} {:>9.2} {:>9.2} {:>9.2}",
            self.requests,
            self.errors,
            self.per_second,
            self.p50.as_secs_f64() * 1000.0,
            self.p90.as_secs_f64() * 1000.0,
            self.p99.as_secs_f64() * 1000.0,
            self.max.as_secs_f64() * 1000.0
        )
    }

    pub fn header() -> String {
        format!(
            "{:<28} {:>7} {:>9} {:>7} {:>10} {:>9} {:>9} {:>9} {:>9}",
            "scenario",
            "clients",
            "requests",
            "errors",
            "req/s",
            "p50 ms",
            "p90 ms",
            "p99 ms",
            "max ms"
        )
    }
}

/// The load generator's runtime: two worker threads, as many as the machine has cores.
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
}

const ERRORS_KEY: &[u8] = b"\"errors\":";

/// Builds the body of a client's next request (`n` counts that client's requests).
pub type NextRequest = Arc<dyn Fn(usize, usize) -> Value + Send + Sync>;

/// Runs `clients` clients against `url`, client `i` with `tokens[i % tokens.len()]`, each
/// sending `next(client, n)`. A response with GraphQL errors counts as an error and its
/// latency is not kept.
pub async fn run(
    url: &str,
    tokens: &[String],
    clients: usize,
    settings: Settings,
    next: NextRequest,
) -> Outcome {
    let (all, _) = run_in_parts(url, tokens, clients, settings, next, 1).await;
    all
}

/// As [`run`], with an outcome for each of `parts` kinds of request as well: a client's
/// request `n` is of kind `n % parts` (a mix alternates its kinds that way).
pub async fn run_in_parts(
    url: &str,
    tokens: &[String],
    clients: usize,
    settings: Settings,
    next: NextRequest,
    parts: usize,
) -> (Outcome, Vec<Outcome>) {
    let parts = parts.max(1);
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(clients)
        .build()
        .unwrap_or_default();
    let start = Instant::now();
    let measure_from = start + settings.warm_up;
    let until = measure_from + settings.measure;
    let tasks: Vec<_> = (0..clients)
        .map(|client| {
            let token = tokens[client % tokens.len()].clone();
            let (http, url, next) = (http.clone(), url.to_owned(), next.clone());
            tokio::spawn(async move {
                let mut latencies = vec![Vec::new(); parts];
                let mut errors = vec![0; parts];
                let mut n = 0;
                loop {
                    let sent = Instant::now();
                    if sent >= until {
                        break;
                    }
                    let body = next(client, n);
                    let part = n % parts;
                    n += 1;
                    let response = http.post(&url).bearer_auth(&token).json(&body).send().await;
                    // Looking for an `errors` key is enough, and much cheaper for the client
                    // (which shares the machine) than parsing the whole response.
                    let ok = match response {
                        Ok(response) if response.status().is_success() => match response
                            .bytes()
                            .await
                        {
                            Ok(body) => !body.windows(ERRORS_KEY.len()).any(|w| w == ERRORS_KEY),
                            Err(_) => false,
                        },
                        _ => false,
                    };
                    let done = Instant::now();
                    if sent >= measure_from && done <= until {
                        if ok {
                            latencies[part].push(done - sent);
                        } else {
                            errors[part] += 1;
                        }
                    }
                }
                (latencies, errors)
            })
        })
        .collect();
    let mut latencies = vec![Vec::new(); parts];
    let mut errors = vec![0; parts];
    for task in tasks {
        if let Ok((mine, my_errors)) = task.await {
            for part in 0..parts {
                latencies[part].extend(&mine[part]);
                errors[part] += my_errors[part];
            }
        }
    }
    let outcome = |latencies: &mut Vec<Duration>, errors: usize| {
        latencies.sort();
        let at = |p: f64| percentile(latencies, p);
        Outcome {
            requests: latencies.len(),
            errors,
            per_second: latencies.len() as f64 / settings.measure.as_secs_f64(),
            p50: at(0.50),
            p90: at(0.90),
            p99: at(0.99),
            max: at(1.0),
        }
    };
    let mut all: Vec<Duration> = latencies.concat();
    let all = outcome(&mut all, errors.iter().sum());
    let each = latencies
        .iter_mut()
        .zip(errors)
        .map(|(latencies, errors)| outcome(latencies, errors))
        .collect();
    (all, each)
}

/// The latency below which a share `p` of `sorted` falls (nearest rank); zero when empty.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() as f64) * p).ceil() as usize;
    sorted[index.clamp(1, sorted.len()) - 1]
}

/// Logs in and returns an access token.
pub async fn login(url: &str, username: &str, password: &str) -> anyhow::Result<String> {
    let body = serde_json::json!({
        "query": "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken } }",
        "variables": { "u": username, "p": password },
    });
    let response: Value = reqwest::Client::new()
        .post(url)
        .json(&body)
        .send()
        .await?
        .json()
        .await?;
    response["data"]["login"]["accessToken"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("login failed: {response}"))
}
