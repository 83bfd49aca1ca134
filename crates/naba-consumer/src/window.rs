//! One partition's in-flight messages, in offset order.
//!
//! Results arrive in any order from the workers; they leave in offset order
//! (so a partition's outputs keep their input order), and the committable
//! offset only ever covers a contiguous prefix of confirmed messages (so a
//! crash can duplicate but never skip an article).

use std::collections::VecDeque;

enum State<O> {
    Pending,
    Ready(O),
    Sent,
    Delivered,
}

struct Entry<I, O> {
    offset: i64,
    input: I,
    state: State<O>,
}

pub struct Window<I, O> {
    /// Distinguishes this incarnation of the partition from earlier ones
    /// (before a revoke or a rewind), whose late results must be ignored.
    pub generation: u64,
    entries: VecDeque<Entry<I, O>>,
    /// Entries before this index have been handed to the producer.
    next_send: usize,
    /// The offset to commit: one past the last message of the confirmed prefix.
    committable: Option<i64>,
}

impl<I, O> Window<I, O> {
    pub fn new(generation: u64) -> Self {
        Window {
            generation,
            entries: VecDeque::new(),
            next_send: 0,
            committable: None,
        }
    }

    /// Adds a message; refuses offsets at or below the last one (a redelivery
    /// the window already holds), keeping the order invariant.
    pub fn push(&mut self, offset: i64, input: I) -> bool {
        if self.entries.back().is_some_and(|e| e.offset >= offset)
            || self.committable.is_some_and(|c| offset < c)
        {
            return false;
        }
        self.entries.push_back(Entry {
            offset,
            input,
            state: State::Pending,
        });
        true
    }

    fn find(&mut self, offset: i64) -> Option<&mut Entry<I, O>> {
        let i = self
            .entries
            .binary_search_by_key(&offset, |e| e.offset)
            .ok()?;
        self.entries.get_mut(i)
    }

    pub fn set_ready(&mut self, offset: i64, out: O) -> bool {
        match self.find(offset) {
            Some(e) if matches!(e.state, State::Pending) => {
                e.state = State::Ready(out);
                true
            }
            _ => false,
        }
    }

    /// Takes the next result to publish, if the head of the unsent part is ready.
    pub fn next_ready(&mut self) -> Option<(i64, &I, O)> {
        let e = self.entries.get_mut(self.next_send)?;
        if !matches!(e.state, State::Ready(_)) {
            return None;
        }
        let State::Ready(out) = std::mem::replace(&mut e.state, State::Sent) else {
            return None;
        };
        self.next_send += 1;
        Some((e.offset, &e.input, out))
    }

    pub fn mark_delivered(&mut self, offset: i64) -> bool {
        match self.find(offset) {
            Some(e) if matches!(e.state, State::Sent) => {
                e.state = State::Delivered;
                true
            }
            _ => false,
        }
    }

    /// Drops the confirmed prefix; returns how many messages left the window.
    pub fn pop_delivered(&mut self) -> usize {
        let mut n = 0;
        while let Some(e) = self.entries.front() {
            if !matches!(e.state, State::Delivered) {
                break;
            }
            self.committable = Some(e.offset + 1);
            self.entries.pop_front();
            self.next_send -= 1;
            n += 1;
        }
        n
    }

    /// Drops every message below `offset` (they were committed in a
    /// transaction, which confirms their delivery); returns how many.
    pub fn pop_before(&mut self, offset: i64) -> usize {
        let mut n = 0;
        while self.entries.front().is_some_and(|e| e.offset < offset) {
            self.entries.pop_front();
            self.next_send = self.next_send.saturating_sub(1);
            n += 1;
        }
        self.committable = Some(offset);
        n
    }

    pub fn committable(&self) -> Option<i64> {
        self.committable
    }

    /// One past the last message handed to the producer (the offset a
    /// transaction covering everything sent so far commits).
    pub fn sent_end(&self) -> Option<i64> {
        match self.next_send {
            0 => None,
            n => self.entries.get(n - 1).map(|e| e.offset + 1),
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn all_sent(&self) -> bool {
        self.next_send == self.entries.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(offsets: &[i64]) -> Window<(), &'static str> {
        let mut w = Window::new(1);
        for &o in offsets {
            assert!(w.push(o, ()));
        }
        w
    }

    #[test]
    fn results_leave_in_offset_order_whatever_order_they_finish_in() {
        let mut w = window(&[10, 11, 12]);
        w.set_ready(12, "c");
        w.set_ready(11, "b");
        assert!(
            w.next_ready().is_none(),
            "10 is not done, nothing may leave"
        );
        w.set_ready(10, "a");
        let order: Vec<_> = std::iter::from_fn(|| w.next_ready().map(|(o, _, x)| (o, x))).collect();
        assert_eq!(order, vec![(10, "a"), (11, "b"), (12, "c")]);
    }

    #[test]
    fn committable_offset_covers_only_the_confirmed_prefix() {
        let mut w = window(&[10, 11, 12]);
        for (o, x) in [(10, "a"), (11, "b"), (12, "c")] {
            w.set_ready(o, x);
        }
        while w.next_ready().is_some() {}
        w.mark_delivered(12);
        w.mark_delivered(10);
        assert_eq!(w.pop_delivered(), 1);
        assert_eq!(
            w.committable(),
            Some(11),
            "11 is unconfirmed, so 12 is not committable"
        );
        w.mark_delivered(11);
        assert_eq!(w.pop_delivered(), 2);
        assert_eq!(w.committable(), Some(13));
        assert_eq!(w.len(), 0);
    }

    #[test]
    fn gaps_in_offsets_are_fine() {
        let mut w = window(&[3, 7, 20]);
        w.set_ready(20, "z");
        w.set_ready(3, "x");
        assert_eq!(w.next_ready().map(|(o, _, _)| o), Some(3));
        assert!(w.next_ready().is_none());
        assert_eq!(w.sent_end(), Some(4));
    }

    #[test]
    fn redelivered_or_older_offsets_are_refused() {
        let mut w = window(&[5, 6]);
        assert!(!w.push(6, ()));
        assert!(!w.push(2, ()));
        w.set_ready(5, "a");
        w.next_ready();
        w.mark_delivered(5);
        w.pop_delivered();
        assert!(!w.push(5, ()));
    }

    #[test]
    fn a_transaction_commit_drops_everything_it_covered() {
        let mut w = window(&[1, 2, 3]);
        w.set_ready(1, "a");
        w.set_ready(2, "b");
        while w.next_ready().is_some() {}
        assert_eq!(w.sent_end(), Some(3));
        assert_eq!(w.pop_before(3), 2);
        assert_eq!(w.len(), 1);
        assert!(!w.all_sent());
        w.set_ready(3, "c");
        assert_eq!(w.next_ready().map(|(o, _, _)| o), Some(3));
        assert!(w.all_sent());
    }
}
