//! Lexical rules: blanks, comments, continuations, encodings, strings.
