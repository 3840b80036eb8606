//! More unit tests.
