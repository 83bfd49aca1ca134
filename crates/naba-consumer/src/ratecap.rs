//! The dead-letter rate cap: when most recent messages are poison, the cause is
//! almost always upstream (a schema change, a wrong topic) and dead-lettering
//! everything would only hide it, so the service stops instead.

use std::collections::VecDeque;

pub struct RateCap {
    window: usize,
    max_ratio: f64,
    recent: VecDeque<bool>,
    dead: usize,
}

impl RateCap {
    pub fn new(window: usize, max_ratio: f64) -> Self {
        RateCap {
            window: window.max(1),
            max_ratio,
            recent: VecDeque::new(),
            dead: 0,
        }
    }

    /// Records one message's fate; returns an error message when dead letters
    /// now exceed `max_ratio` of the last `window` messages. The threshold is
    /// a count over the full window, so a few early poison messages never trip it.
    pub fn record(&mut self, dead: bool) -> Result<(), String> {
        self.recent.push_back(dead);
        if dead {
            self.dead += 1;
        }
        if self.recent.len() > self.window && self.recent.pop_front() == Some(true) {
            self.dead -= 1;
        }
        let limit = self.max_ratio * self.window as f64;
        if dead && self.dead as f64 > limit {
            return Err(format!(
                "dead-letter rate cap exceeded: {} of the last {} messages were dead letters \
                 (limit {:.0}%); stopping instead of dead-lettering everything: check the \
                 producer of the input topic",
                self.dead,
                self.recent.len(),
                self.max_ratio * 100.0
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_few_poison_messages_do_not_trip_the_cap() {
        let mut cap = RateCap::new(10, 0.5);
        for _ in 0..5 {
            assert!(cap.record(true).is_ok());
        }
    }

    #[test]
    fn more_than_half_of_the_window_trips_the_cap() {
        let mut cap = RateCap::new(10, 0.5);
        for _ in 0..5 {
            cap.record(true).unwrap();
        }
        assert!(cap.record(true).unwrap_err().contains("6 of the last 6"));
    }

    #[test]
    fn old_dead_letters_leave_the_window() {
        let mut cap = RateCap::new(10, 0.5);
        for _ in 0..5 {
            cap.record(true).unwrap();
        }
        for _ in 0..10 {
            cap.record(false).unwrap();
        }
        for _ in 0..5 {
            assert!(cap.record(true).is_ok());
        }
    }
}
