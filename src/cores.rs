//! A large script's statements shared over the cores: the parser cuts the
//! text, the checker and the plan's lints cut the list, one share per
//! thread, with the results handed back in source order.

use std::ops::Range;

/// Below this many statements (about 800 KB of script) a share is not
/// worth a thread: one thread checks them in a few milliseconds.
const MIN_SHARE: usize = 16_384;

/// How many threads to share work over (one when the system cannot say).
pub fn count() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// How many shares a list of `len` statements is cut into.
fn shares(len: usize) -> usize {
    count().min(len / MIN_SHARE).max(1)
}

/// Whether `len` statements are cut into shares (so that two such works
/// can also run at once).
pub fn worth_sharing(len: usize) -> bool {
    shares(len) > 1
}

/// `work` on consecutive shares of `0..len`, one per core and each at
/// least [`MIN_SHARE`] long (the first on this thread), the results in the
/// order of the shares. A short list is one share, on this thread.
pub fn in_shares<R: Send>(len: usize, work: impl Fn(Range<usize>) -> R + Sync) -> Vec<R> {
    let shares = shares(len);
    if shares == 1 {
        return vec![work(0..len)];
    }
    let share = |k: usize| len * k / shares..len * (k + 1) / shares;
    let work = &work;
    std::thread::scope(|scope| {
        let others: Vec<_> = (1..shares)
            .map(|k| scope.spawn(move || work(share(k))))
            .collect();
        let mut results = Vec::with_capacity(shares);
        results.push(work(share(0)));
        for other in others {
            results.push(
                other
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            );
        }
        results
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_cover_the_list_in_order() {
        for len in [0, 1, MIN_SHARE - 1, 2 * MIN_SHARE, 5 * MIN_SHARE + 3] {
            let shares = in_shares(len, |range| range);
            assert_eq!(shares.first().map(|r| r.start), Some(0));
            assert_eq!(shares.last().map(|r| r.end), Some(len));
            assert!(shares.windows(2).all(|w| w[0].end == w[1].start));
            assert!(shares.len() == 1 || shares.iter().all(|r| r.len() >= MIN_SHARE));
        }
    }
}
