//! pos-api in this process, on its own runtime, so the load generator's tasks and the
//! server's do not share worker threads.

use std::collections::HashMap;
use std::net::SocketAddr;

use anyhow::Context as _;
use api::app::App;
use api::config::Config;

pub const ADMIN_PASSWORD: &str = "bench-admin-password";

pub struct Server {
    pub addr: SocketAddr,
    pub app: App,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    /// Starts pos-api (release build, production-like settings) on a free local port.
    pub fn start(database_url: &str) -> anyhow::Result<Server> {
        let data_dir = std::env::temp_dir().join("pos-odata-bench");
        let vars: HashMap<String, String> = [
            ("DATABASE_URL", database_url),
            ("DATA_DIR", &data_dir.display().to_string()),
            ("POS_ADMIN_PASSWORD", ADMIN_PASSWORD),
            ("DATABASE_MAX_CONNECTIONS", "20"),
            ("LOG_FORMAT", "text"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let config = Config::from_vars(&vars).context("benchmark configuration")?;
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = match tokio::runtime::Builder::new_multi_thread()
                .thread_name("pos-api")
                .worker_threads(2)
                .enable_all()
                .build()
            {
                Ok(runtime) => runtime,
                Err(e) => {
                    let _ = ready_tx.send(Err(anyhow::anyhow!(e)));
                    return;
                }
            };
            runtime.block_on(async move {
                let started = async {
                    let app = App::start(config).await?;
                    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
                    anyhow::Ok((app, listener))
                };
                match started.await {
                    Ok((app, listener)) => {
                        let addr = listener.local_addr().ok();
                        let _ = ready_tx.send(Ok((app.clone(), addr)));
                        let _ = app
                            .serve(listener, async {
                                let _ = stopped.await;
                            })
                            .await;
                    }
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                    }
                }
            });
        });
        let (app, addr) = ready_rx.recv().context("the server thread ended")??;
        Ok(Server {
            addr: addr.context("no local address")?,
            app,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// Where the register screen is served.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn url(&self) -> String {
        format!("http://{}/graphql", self.addr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
