//! Small field checks that collect every problem before answering 422.

use super::{AppError, FieldError, FieldProblem};

/// Checks a text length in characters.
pub fn check_len(field: &str, value: &str, min: usize, max: usize, errors: &mut Vec<FieldError>) {
    let n = value.chars().count();
    if n < min {
        let problem = if min == 1 {
            FieldProblem::Empty
        } else {
            FieldProblem::TooShort { min }
        };
        errors.push(FieldError::new(field, problem));
    } else if n > max {
        errors.push(FieldError::new(field, FieldProblem::TooLong { max }));
    }
}

/// 422 with every collected error, or `Ok` when there are none.
pub fn finish(errors: Vec<FieldError>) -> Result<(), AppError> {
    if errors.is_empty() {
        return Ok(());
    }
    Err(AppError::Invalid(errors))
}
