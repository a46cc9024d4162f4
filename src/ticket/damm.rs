//! The Damm check digit that ends every ticket code.
//!
//! It catches every single-digit typo and every swap of two adjacent digits, so a mistyped code is refused at
//! once, before the gateway spends an expensive key derivation on it and before the visitor is told "no such
//! conversation" for what was only a typo.
//!
//! The table is the standard weakly totally anti-symmetric quasigroup of order 10 from H. Michael Damm's
//! thesis (2004).

/// The quasigroup: the next interim digit is `TABLE[interim][digit]`.
const TABLE: [[u8; 10]; 10] = [
    [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
    [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
    [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
    [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
    [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
    [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
    [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
    [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
    [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
    [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];

/// Runs the digits through the table; `None` if a value is not a digit (above 9).
fn interim(digits: &[u8]) -> Option<u8> {
    digits.iter().try_fold(0u8, |interim, &digit| {
        TABLE
            .get(usize::from(interim))
            .and_then(|row| row.get(usize::from(digit)))
            .copied()
    })
}

/// The check digit (0..=9) to append to `digits`, whose values must be 0..=9.
///
/// A value above 9 is a programming error: the result is then 0, which [`is_valid`] never accepts for such
/// input (it refuses any value above 9).
pub fn check_digit(digits: &[u8]) -> u8 {
    interim(digits).unwrap_or(0)
}

/// Whether `digits` (values 0..=9), its check digit last, is a well-formed sequence.
///
/// False for an empty slice and for any value above 9.
pub fn is_valid(digits: &[u8]) -> bool {
    !digits.is_empty() && interim(digits) == Some(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator so that a failing case can be reproduced.
    struct XorShift(u64);

    impl XorShift {
        fn digit(&mut self) -> u8 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % 10) as u8
        }
    }

    fn sample_codes() -> Vec<Vec<u8>> {
        let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
        (0..2000)
            .map(|_| {
                let mut code: Vec<u8> = (0..15).map(|_| rng.digit()).collect();
                code.push(check_digit(&code));
                code
            })
            .collect()
    }

    #[test]
    fn known_value_from_the_literature() {
        // The worked example of the algorithm: 572 gets check digit 4.
        assert_eq!(check_digit(&[5, 7, 2]), 4);
        assert!(is_valid(&[5, 7, 2, 4]));
        assert!(!is_valid(&[5, 7, 2, 5]));
    }

    #[test]
    fn a_code_with_its_check_digit_is_valid() {
        for code in sample_codes() {
            assert!(is_valid(&code), "{code:?}");
        }
    }

    #[test]
    fn check_digit_catches_every_single_digit_typo() {
        for code in sample_codes() {
            for position in 0..code.len() {
                for replacement in 0..10u8 {
                    if replacement == code[position] {
                        continue;
                    }
                    let mut typo = code.clone();
                    typo[position] = replacement;
                    assert!(!is_valid(&typo), "{code:?} → {typo:?}");
                }
            }
        }
    }

    #[test]
    fn check_digit_catches_every_adjacent_transposition() {
        let mut swaps_tested = 0;
        for code in sample_codes() {
            for position in 0..code.len() - 1 {
                if code[position] == code[position + 1] {
                    continue;
                }
                let mut swapped = code.clone();
                swapped.swap(position, position + 1);
                assert!(!is_valid(&swapped), "{code:?} → {swapped:?}");
                swaps_tested += 1;
            }
        }
        assert!(swaps_tested > 20_000);
    }

    #[test]
    fn values_above_nine_and_empty_input_are_never_valid() {
        assert!(!is_valid(&[]));
        assert!(!is_valid(&[10]));
        assert!(!is_valid(&[5, 7, 2, 4, 0, 10]));
        assert!(!is_valid(&[255, 0]));
    }
}
