//! Resolved values in the shapes ZLayer's actions take. Whether a value is
//! valid at all is decided by `crate::values`, as for `zinit run`: a value
//! that fails cannot be exported (E160, with the validator's reason).

use super::Exporter;
use crate::check::Diagnostic;
use crate::check::codes::ZLAYER_VALUE;
use crate::check::values::{Transfer, Value, Verdict};
use crate::plan::zlayer::spec::ExportParams;
use crate::syntax::ast::Text;
use std::borrow::Cow;

/// The texts of an s3 step, by role rather than by position.
pub(super) struct S3Step<'a> {
    transfer: Transfer,
    remote: &'a Text,
    local: &'a Text,
    endpoint: &'a Option<Text>,
    region: &'a Option<Text>,
}

impl<'a> S3Step<'a> {
    pub(super) fn new(
        transfer: Transfer,
        remote: &'a Text,
        local: &'a Text,
        endpoint: &'a Option<Text>,
        region: &'a Option<Text>,
    ) -> Self {
        S3Step {
            transfer,
            remote,
            local,
            endpoint,
            region,
        }
    }
}

impl Exporter<'_> {
    /// The resolved value of `text`, judged by the validator `zinit run`
    /// applies (`judge`); a value that fails it cannot be exported (E160,
    /// with the validator's reason, naming the variables and not the value).
    pub(super) fn judged<T>(
        &mut self,
        what: &str,
        text: &Text,
        judge: impl FnOnce(&Value<'_>) -> Verdict<T>,
    ) -> Option<(String, T)> {
        let value = self.value(what, text)?;
        match judge(&value) {
            Ok(judged) => Some((value.value.into_owned(), judged)),
            Err(d) => {
                self.cannot_take(*d);
                None
            }
        }
    }

    pub(super) fn value<'t>(&mut self, what: &'t str, text: &'t Text) -> Option<Value<'t>> {
        let value = self.resolve(text)?;
        Some(Value::new(what, text, Cow::Owned(value), None))
    }

    fn cannot_take(&mut self, mut d: Diagnostic) {
        d.code = ZLAYER_VALUE.code;
        d.message = format!("cannot export: {}", d.message);
        self.errors.push(d);
    }

    pub(super) fn host_port(&mut self, target: &Text) -> Option<(String, u16)> {
        let (_, host_port) = self.judged("the `wait tcp` target", target, |v| v.host_port())?;
        Some((host_port.host, host_port.port))
    }

    /// A protocol wait's host and port (its credentials stay behind).
    pub(super) fn service_address(
        &mut self,
        service: crate::values::Service,
        target: &Text,
    ) -> Option<(String, u16)> {
        let (_, t) = self.judged(service.what(), target, |v| v.service_target(service))?;
        Some((t.address.host, t.address.port))
    }

    /// Bucket, key, local path, endpoint and region into `with`, judged
    /// as `zinit run` does.
    pub(super) fn s3(&mut self, with: &mut ExportParams, step: S3Step<'_>) {
        with.endpoint = self.endpoint(step.endpoint);
        with.region = step.region.as_ref().and_then(|r| self.resolve(r));
        let remote = self.value(step.transfer.what(true), step.remote);
        let local = self.value(step.transfer.what(false), step.local);
        let (Some(remote), Some(local)) = (remote, local) else {
            return;
        };
        match step.transfer.check(Some(&remote), Some(&local)) {
            Ok(Some(object))
                if object.is_prefix() && !prefix_exports(step.transfer, &object, &local.value) =>
            {
                let d = ZLAYER_VALUE.at(
                    remote.span,
                    format!(
                        "cannot export: {} `{object}` is a prefix, and ZLayer takes one object key",
                        step.transfer.what(true)
                    ),
                );
                self.errors.push(d.with_help(match step.transfer {
                    Transfer::Pull => "pull each object with its own `s3 pull`, or keep this step in zinit",
                    Transfer::Push => "ZLayer pushes a folder below KEY/: write the folder path with a final `/` (`s3 push DIR/ to s3://BUCKET/PREFIX/`)",
                }));
            }
            Ok(object) => {
                (with.bucket, with.key) = object
                    .map(|o| {
                        // A folder pushed to KEY lands below `KEY/` in ZLayer too.
                        let key = o.key.strip_suffix('/').unwrap_or(&o.key).to_string();
                        (o.bucket, key)
                    })
                    .unzip();
                let path = Some(local.value.into_owned());
                match step.transfer {
                    Transfer::Pull => with.destination = path,
                    Transfer::Push => with.source = path,
                }
            }
            Err(d) => self.cannot_take(*d),
        }
    }

    pub(super) fn endpoint(&mut self, endpoint: &Option<Text>) -> Option<String> {
        let endpoint = endpoint.as_ref()?;
        let (url, ()) = self.judged("the `endpoint` URL", endpoint, |v| v.http_url())?;
        Some(url)
    }
}

/// One shell word: as is when it is plain, else single-quoted.
pub fn shell_quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_./:=@%+,-".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// A prefix ZLayer can take: a folder (written as one, `DIR/`) pushed below
/// a non-empty prefix is ZLayer's push of a folder to KEY. A file pushed
/// below a prefix would land at KEY there, not KEY/NAME; and a pull of many
/// objects it cannot do.
fn prefix_exports(transfer: Transfer, object: &crate::values::S3Target, local: &str) -> bool {
    transfer == Transfer::Push && !object.key.is_empty() && crate::values::names_folder(local)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_are_quoted_only_when_needed() {
        assert_eq!(shell_quote("./migrate"), "./migrate");
        assert_eq!(shell_quote("two words"), "'two words'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(shell_quote(""), "''");
    }
}
