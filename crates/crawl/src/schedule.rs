//! When a page is fetched again (docs/crawl.md): an article soon after it
//! was first seen or last changed, then less and less often; listings every
//! round; a failed fetch later; a politeness back-off per host.
//!
//! Must not touch: anything but time arithmetic.

use std::time::Duration;

const HOUR: i64 = 3600;
const DAY: i64 = 24 * HOUR;

/// Seconds from a fetch to the next, by the number of fetches since the
/// page last changed (the first fetch counts as a change): 1 h, 6 h, 1 d,
/// 3 d, 7 d, 30 d, then every 90 days.
pub const ARTICLE_RECHECKS: [i64; 7] = [HOUR, 6 * HOUR, DAY, 3 * DAY, 7 * DAY, 30 * DAY, 90 * DAY];

/// Listings are fetched every round, and a round starts at least this
/// often when the crawler keeps running.
pub const LISTING_EVERY: i64 = HOUR;

/// A crawl that keeps running starts rounds at most this often.
pub const MIN_ROUND_GAP: i64 = 10 * 60;

/// A url whose fetch failed (network, server error, too large) is tried
/// again after this.
pub const RETRY_FAILED: i64 = HOUR;

/// A url robots.txt disallows is looked at again (robots.txt may change)
/// after this.
pub const RETRY_DISALLOWED: i64 = DAY;

/// robots.txt is fetched again when older than this.
pub const ROBOTS_MAX_AGE: i64 = DAY;

/// A host failing this many times in a row is left alone for the rest of
/// the round.
pub const HOST_FAILURES_TO_GIVE_UP: u32 = 3;

/// The longest wait honoured from a `Retry-After`, or reached by back-off.
pub const MAX_WAIT: Duration = Duration::from_secs(600);

/// Seconds until an article is due again after a fetch: `checks` is the
/// number of fetches since it last changed, this one included (1 after a
/// change or a first fetch).
pub fn article_due_in(checks: i64) -> i64 {
    let i = (checks.max(1) - 1) as usize;
    ARTICLE_RECHECKS[i.min(ARTICLE_RECHECKS.len() - 1)]
}

/// The back-off after `failures` failures in a row: the delay doubled each
/// time from 2 s, up to [`MAX_WAIT`], plus up to half again at random (so
/// that many crawlers do not come back at once).
pub fn backoff(failures: u32, delay: Duration) -> Duration {
    let base = delay.max(Duration::from_secs(2));
    let exp = base.saturating_mul(1u32 << failures.min(16).saturating_sub(1));
    let exp = exp.min(MAX_WAIT);
    let jitter = exp.mul_f64(rand::random::<f64>() * 0.5);
    (exp + jitter).min(MAX_WAIT)
}

/// A `Retry-After` value: seconds, or an HTTP date; capped at
/// [`MAX_WAIT`].
pub fn retry_after(value: &str, now: chrono::DateTime<chrono::Utc>) -> Option<Duration> {
    let value = value.trim();
    let secs = if let Ok(n) = value.parse::<u64>() {
        n
    } else {
        let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
        (at.with_timezone(&chrono::Utc) - now).num_seconds().max(0) as u64
    };
    Some(Duration::from_secs(secs).min(MAX_WAIT))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn articles_are_rechecked_less_often_until_every_ninety_days() {
        assert_eq!(article_due_in(1), HOUR);
        assert_eq!(article_due_in(2), 6 * HOUR);
        assert_eq!(article_due_in(3), DAY);
        assert_eq!(article_due_in(6), 30 * DAY);
        assert_eq!(article_due_in(7), 90 * DAY);
        assert_eq!(article_due_in(50), 90 * DAY);
        assert_eq!(article_due_in(0), HOUR);
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let d = Duration::from_secs(2);
        let first = backoff(1, d);
        assert!(first >= d && first <= d.mul_f64(1.5));
        let third = backoff(3, d);
        assert!(third >= Duration::from_secs(8));
        assert!(backoff(40, d) <= MAX_WAIT);
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        assert_eq!(retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(
            retry_after("Thu, 01 Jan 2026 00:00:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(retry_after("99999", now), Some(MAX_WAIT));
        assert_eq!(retry_after("soon", now), None);
    }
}
