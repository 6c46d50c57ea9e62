//! Paging maths shared by every source: where the pager's links go and what it says.

/// What the shared pager shows: the current page and how far paging can go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageNav {
    /// 1-based.
    pub current: u32,
    /// The last page, when the service says how many there are.
    pub last: Option<u32>,
    /// Whether a next page exists (known even when `last` is not).
    pub has_next: bool,
}

impl PageNav {
    /// For offset paging with a total (GRIP's `start`/`length`/`recordsTotal`). `cap` is the
    /// deepest record the service can page to (GRIP: 10,000), if any.
    pub fn from_offset(start: u64, length: u64, total: u64, cap: Option<u64>) -> PageNav {
        let length = length.max(1);
        let reachable = cap.map_or(total, |c| total.min(c));
        let last = reachable.div_ceil(length).max(1);
        let current = start / length + 1;
        PageNav { current: clamp_u32(current), last: Some(clamp_u32(last)), has_next: current < last }
    }

    /// For services that give no total (IODA): a full page means there may be more.
    pub fn from_count(page: u32, limit: u64, returned: usize) -> PageNav {
        PageNav { current: page.max(1), last: None, has_next: returned as u64 >= limit && limit > 0 }
    }

    pub fn has_prev(&self) -> bool {
        self.current > 1
    }

    /// The page numbers to show as direct links: first, last, and a window round the current one,
    /// with `None` for a gap (`1 … 4 5 6 … 20`).
    pub fn window(&self, radius: u32) -> Vec<Option<u32>> {
        let last = self.last.unwrap_or(self.current + u32::from(self.has_next));
        let lo = self.current.saturating_sub(radius).max(1);
        let hi = (self.current + radius).min(last);
        let mut out = Vec::new();
        if lo > 1 {
            out.push(Some(1));
            if lo > 2 {
                out.push(None);
            }
        }
        out.extend((lo..=hi).map(Some));
        if hi < last && self.last.is_some() {
            if hi + 1 < last {
                out.push(None);
            }
            out.push(Some(last));
        }
        out
    }
}

fn clamp_u32(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// `4,312`.
pub fn format_count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `59`, `1,234`, `−3`, `0.42`: a measured value as tables and readouts show it.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        let s = format_count(n.abs() as u64);
        if n < 0.0 {
            format!("−{s}")
        } else {
            s
        }
    } else {
        let s = format!("{n:.3}");
        s.trim_end_matches('0').trim_end_matches('.').replacen('-', "−", 1)
    }
}

/// `showing 101–200 of 4,312` (or `of at least 10,000` when the service caps its count).
pub fn range_label(first_index: u64, shown: usize, total: Option<u64>, capped: bool) -> String {
    if shown == 0 {
        return "nothing to show".into();
    }
    let from = first_index + 1;
    let to = first_index + shown as u64;
    match total {
        Some(t) if capped => {
            format!("showing {}–{} of at least {}", format_count(from), format_count(to), format_count(t))
        }
        Some(t) => format!("showing {}–{} of {}", format_count(from), format_count(to), format_count(t)),
        None => format!("showing {}–{}", format_count(from), format_count(to)),
    }
}

/// Client-side paging of a list the service returns whole: the slice bounds of page `page`.
pub fn slice_bounds(len: usize, page: u32, per_page: usize) -> (usize, usize) {
    let per_page = per_page.max(1);
    let start = (page.max(1) as usize - 1).saturating_mul(per_page).min(len);
    (start, (start + per_page).min(len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_paging_with_total_and_cap() {
        let nav = PageNav::from_offset(100, 100, 4_312, None);
        assert_eq!(nav, PageNav { current: 2, last: Some(44), has_next: true });
        assert!(nav.has_prev());
        let capped = PageNav::from_offset(0, 100, 25_000, Some(10_000));
        assert_eq!(capped.last, Some(100));
        let last = PageNav::from_offset(4_300, 100, 4_312, None);
        assert!(!last.has_next);
        assert_eq!(PageNav::from_offset(0, 100, 0, None).last, Some(1));
    }

    #[test]
    fn count_paging_guesses_next_from_a_full_page() {
        assert!(PageNav::from_count(1, 500, 500).has_next);
        assert!(!PageNav::from_count(3, 500, 12).has_next);
        assert_eq!(PageNav::from_count(0, 500, 1).current, 1);
    }

    #[test]
    fn window_shows_gaps() {
        let nav = PageNav { current: 10, last: Some(20), has_next: true };
        assert_eq!(nav.window(1), vec![Some(1), None, Some(9), Some(10), Some(11), None, Some(20)]);
        let nav = PageNav { current: 1, last: Some(3), has_next: true };
        assert_eq!(nav.window(2), vec![Some(1), Some(2), Some(3)]);
        let open = PageNav { current: 4, last: None, has_next: true };
        assert_eq!(open.window(1), vec![Some(1), None, Some(3), Some(4), Some(5)]);
    }

    #[test]
    fn labels_and_counts() {
        assert_eq!(format_count(4_312), "4,312");
        assert_eq!(format_count(999), "999");
        assert_eq!(format_count(1_000_000), "1,000,000");
        assert_eq!(format_number(1234.0), "1,234");
        assert_eq!(format_number(-3.0), "−3");
        assert_eq!(format_number(0.42), "0.42");
        assert_eq!(format_number(-1.5), "−1.5");
        assert_eq!(range_label(100, 100, Some(4_312), false), "showing 101–200 of 4,312");
        assert_eq!(range_label(0, 10, Some(10_000), true), "showing 1–10 of at least 10,000");
        assert_eq!(range_label(0, 0, Some(0), false), "nothing to show");
        assert_eq!(range_label(500, 3, None, false), "showing 501–503");
    }

    #[test]
    fn slices_stay_in_bounds() {
        assert_eq!(slice_bounds(95, 1, 50), (0, 50));
        assert_eq!(slice_bounds(95, 2, 50), (50, 95));
        assert_eq!(slice_bounds(95, 9, 50), (95, 95));
        assert_eq!(slice_bounds(0, 1, 0), (0, 0));
    }
}
