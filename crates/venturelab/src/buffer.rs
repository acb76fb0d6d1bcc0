//! Large result buffers (a million simulated funds are about 100 MB of rows).
//!
//! The first write to each page of a fresh buffer costs a page fault; with the usual 4 KB
//! pages that was a fifth of a million-fund run. On Linux, [`zeroed`] asks the kernel for
//! 2 MB pages where it allows them on request (`transparent_hugepage` set to `madvise`,
//! the common default), which makes first touch several times cheaper. It only changes how
//! memory is mapped, never what is in it.

/// A vector of `n` zeros (all bits zero), backed by large pages where the system allows.
/// The memory comes zeroed from the system and is not written here: each page is first
/// touched by whichever thread fills it, so the faults are spread over the threads.
pub fn zeroed<T: bytemuck::Zeroable>(n: usize) -> Vec<T> {
    let mut v: Vec<T> = bytemuck::allocation::zeroed_vec(n);
    prefer_huge_pages(&mut v);
    v
}

/// Advises the kernel to back the whole 2 MB pages inside `region` with huge pages.
fn prefer_huge_pages<T>(region: &mut [T]) {
    #[cfg(target_os = "linux")]
    {
        const HUGE: usize = 2 << 20;
        let start = region.as_mut_ptr() as usize;
        let end = start + std::mem::size_of_val(region);
        let (first, last) = ((start + HUGE - 1) & !(HUGE - 1), end & !(HUGE - 1));
        if last > first {
            // SAFETY: the range lies inside memory this process owns (the vector's
            // allocation); MADV_HUGEPAGE is advice and does not change its contents. A
            // failure (no transparent huge pages) leaves ordinary pages, which is fine.
            unsafe {
                libc::madvise(
                    first as *mut libc::c_void,
                    last - first,
                    libc::MADV_HUGEPAGE,
                );
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = region;
}

#[cfg(test)]
mod tests {
    #[test]
    fn zeroed_is_zeros_of_the_length_asked() {
        let v = super::zeroed::<u32>(5_000_000);
        assert_eq!(v.len(), 5_000_000);
        assert!(v.iter().all(|&x| x == 0));
        assert!(super::zeroed::<f64>(0).is_empty());
    }
}
