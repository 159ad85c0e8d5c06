//! What the actions of a run share: the reporter, the kill grace, the
//! hurry token, the services, the containment, the HTTP clients, the TCP
//! poller and the file waits' inotify instance. The engine owns one and
//! hands it to every attempt, so actions never reach back into the engine.

use super::file_watch::FileWaits;
use super::http::client::HttpClients;
use super::poller::TcpPoller;
use super::service::Services;
use crate::run::event::{Event, Reporter, Stream};
use crate::run::process::contain::Containment;
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

pub struct Resources {
    reporter: Arc<dyn Reporter>,
    grace: Duration,
    hurry: CancellationToken,
    pub(crate) services: Services,
    containment: Containment,
    http: HttpClients,
    tcp_poller: TcpPoller,
    file_waits: FileWaits,
}

impl Resources {
    /// `grace`: between SIGTERM and SIGKILL when stopping a process group;
    /// `hurry`: when cancelled (a second Ctrl-C), stop with SIGKILL at once;
    /// `whole_process`: see [`crate::run::Options::whole_process`].
    pub fn new(
        reporter: Arc<dyn Reporter>,
        grace: Duration,
        hurry: CancellationToken,
        whole_process: bool,
    ) -> Self {
        Resources {
            services: Services::new(reporter.clone(), grace, hurry.clone()),
            containment: Containment::new(whole_process, grace),
            reporter,
            grace,
            hurry,
            http: HttpClients::default(),
            tcp_poller: TcpPoller::default(),
            file_waits: FileWaits::default(),
        }
    }

    pub fn emit(&self, event: Event) {
        self.reporter.event(&event);
    }

    pub fn output(&self, step: &str, stream: Stream, line: String) {
        self.emit(Event::Output {
            step: step.to_string(),
            stream,
            line,
        });
    }

    pub fn reporter(&self) -> &Arc<dyn Reporter> {
        &self.reporter
    }

    pub fn grace(&self) -> Duration {
        self.grace
    }

    pub fn hurry(&self) -> &CancellationToken {
        &self.hurry
    }

    pub fn services(&self) -> &Services {
        &self.services
    }

    pub fn containment(&self) -> &Containment {
        &self.containment
    }

    pub fn http_clients(&self) -> &HttpClients {
        &self.http
    }

    /// The one thread that checks every TCP wait of the run.
    pub fn tcp_poller(&self) -> &TcpPoller {
        &self.tcp_poller
    }

    pub fn file_waits(&self) -> &FileWaits {
        &self.file_waits
    }
}
