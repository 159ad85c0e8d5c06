; Highlighting for zinit scripts. Capture names follow the common
; tree-sitter set (Neovim, Helix, Zed all map them).

(comment) @comment
(line_continuation) @punctuation.special

; Statements.
[
  "retry"
  "defaults"
  "zlayer"
  "wait"
  "run"
  "start"
  "sleep"
  "s3"
  "parallel"
  "any"
] @keyword

; Actions: what a step does.
[
  "tcp"
  "http"
  "file"
  "postgres"
  "redis"
  "mysql"
  "dns"
  "exec"
  "log"
  "grpc"
  "pull"
  "push"
] @function

"to" @keyword.operator
"==" @operator

; Step clauses and backoff options.
[
  "as"
  "timeout"
  "on-fail"
  "every"
  "env"
  "cwd"
  "closed"
  "gone"
  "insecure"
  "service"
  "tls"
  "status"
  "body"
  "contains"
  "matches"
  "times"
  "by"
  "method"
  "header"
  "data"
  "json"
  "exists"
  "ca"
  "cert"
  "key"
  "follow"
  "endpoint"
  "region"
  "type"
  "server"
  "value"
  "initial"
  "max"
  "factor"
  "jitter"
] @property

; The script policy kinds, and the `zlayer on-panic` setting.
[
  "none"
  "restart"
  "backoff"
  "on-panic"
  "shutdown"
  "isolate"
] @keyword

(on_fail_action) @constant.builtin

(duration) @number
(count) @number
(decimal) @number
(percent) @number
(status) @number

(step_id) @label

(env_key) @variable.parameter

(string) @string
(raw_string) @string
(escape_sequence) @string.escape
(word) @string.special
(interpolation) @variable

[
  "{"
  "}"
  "["
  "]"
] @punctuation.bracket

[
  ";"
  ","
] @punctuation.delimiter
