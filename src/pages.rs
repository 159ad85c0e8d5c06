//! Transparent huge pages for the few large buffers that are filled at
//! once. The allocator keeps to small pages (built without its huge-page
//! advice: a 2 MiB page that a few bytes touch is 2 MiB of resident memory,
//! and an init's footprint matters; with it, `zinit run`'s peak RSS was
//! twice as large). A check of a large script, though, fills its text and
//! its statement lists, tens of megabytes, as soon as they are allocated,
//! and faulting them in 4 KiB at a time was a large part of their cost.

/// Asks for huge pages on the whole 2 MiB pages inside `len` bytes from
/// `start`: memory of one allocation this process owns. Only advice (the
/// contents do not change); systems whose huge pages are off ("never", or
/// disabled for the process) ignore it.
pub fn prefer_huge(start: *const u8, len: usize) {
    const HUGE: usize = 2 << 20;
    let first = (start as usize).next_multiple_of(HUGE);
    let end = (start as usize).saturating_add(len) / HUGE * HUGE;
    if end > first {
        // SAFETY: MADV_HUGEPAGE is advice on pages inside one allocation of
        // ours; it neither reads nor changes them.
        unsafe {
            nix::libc::madvise(
                first as *mut nix::libc::c_void,
                end - first,
                nix::libc::MADV_HUGEPAGE,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `AnonHugePages` of the mapping that holds `address`, in kB.
    fn huge_kb_at(address: usize) -> Option<u64> {
        let smaps = std::fs::read_to_string("/proc/self/smaps").ok()?;
        let mut inside = false;
        for line in smaps.lines() {
            if let Some((range, _)) = line.split_once(' ')
                && let Some((from, to)) = range.split_once('-')
                && let (Ok(from), Ok(to)) = (
                    usize::from_str_radix(from, 16),
                    usize::from_str_radix(to, 16),
                )
            {
                inside = (from..to).contains(&address);
            } else if inside && let Some(kb) = line.strip_prefix("AnonHugePages:") {
                return kb.trim().trim_end_matches(" kB").parse().ok();
            }
        }
        None
    }

    #[test]
    fn a_buffer_that_prefers_huge_pages_gets_them_where_the_system_gives_them() {
        let mode = std::fs::read_to_string("/sys/kernel/mm/transparent_hugepage/enabled");
        if !mode.is_ok_and(|m| m.contains("[madvise]")) {
            return; // "always" gives them anyway, "never" not at all
        }
        let mut buffer = vec![0u8; 32 << 20];
        prefer_huge(buffer.as_ptr(), buffer.len());
        buffer.iter_mut().step_by(4096).for_each(|b| *b = 1);
        let huge = huge_kb_at(buffer.as_ptr() as usize + (16 << 20));
        assert!(huge.is_some_and(|kb| kb > 0), "AnonHugePages: {huge:?} kB");
        // Without the advice, the same buffer gets none.
        let mut plain = vec![0u8; 32 << 20];
        plain.iter_mut().step_by(4096).for_each(|b| *b = 1);
        assert_eq!(huge_kb_at(plain.as_ptr() as usize + (16 << 20)), Some(0));
    }
}
