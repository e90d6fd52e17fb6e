# Helpers shared by the end-to-end scripts in tests/cli (sourced, not run).
# Each script is run as: bash SCRIPT.sh SITMAP_BINARY TESTS_SOURCE_DIR WORK_DIR
# and starts in a fresh WORK_DIR.
SITMAP=$1; TESTS=$2; WORK=$3
rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK"

fail() { echo "FAIL: $*" >&2; exit 1; }

# has PATTERN COMMAND...: the command's output matches (read whole, no SIGPIPE under pipefail)
has() { local p=$1; shift; local out; out=$("$@" 2>&1) || return 1; grep -q -- "$p" <<< "$out"; }

# ok COMMAND...: exit 0 and an empty stderr; stdout in out.txt
ok() {
  local rc=0
  "$@" > out.txt 2> err.txt || rc=$?
  [ "$rc" = 0 ] || fail "'$*' exited $rc: $(cat err.txt)"
  [ -s err.txt ] && fail "'$*': unexpected stderr: $(cat err.txt)"
  return 0
}

# expect CODE PATTERN COMMAND...: exit code CODE and PATTERN in stderr
expect() {
  local code=$1 pattern=$2; shift 2
  local rc=0
  "$@" > out.txt 2> err.txt || rc=$?
  [ "$rc" = "$code" ] || fail "'$*' exited $rc, not $code: $(cat err.txt)"
  grep -q -- "$pattern" err.txt || fail "'$*': stderr lacks '$pattern': $(cat err.txt)"
}
