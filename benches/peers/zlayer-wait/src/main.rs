//! `zlayer-wait tcp HOST PORT` / `zlayer-wait http URL`: runs ZLayer's own
//! `init.wait_tcp` / `init.wait_http` action exactly as ZLayer builds it
//! from a service spec (`from_spec`, which fixes the poll interval at 2 s).

use std::collections::HashMap;
use std::time::Duration;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut params: HashMap<String, serde_json::Value> = HashMap::new();
    let action = match args.as_slice() {
        [kind, host, port] if kind == "tcp" => {
            params.insert("host".into(), host.clone().into());
            params.insert("port".into(), port.parse::<u64>().expect("port").into());
            "init.wait_tcp"
        }
        [kind, url] if kind == "http" => {
            params.insert("url".into(), url.clone().into());
            "init.wait_http"
        }
        _ => {
            eprintln!("usage: zlayer-wait tcp HOST PORT | zlayer-wait http URL");
            std::process::exit(2);
        }
    };
    let action = zlayer_init_actions::from_spec(action, &params, Duration::from_secs(30))
        .expect("valid action");
    if let Err(e) = action.execute().await {
        eprintln!("{e}");
        std::process::exit(1);
    }
}
