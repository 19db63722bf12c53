# Process management shared by run-local.sh and the bench/ scripts (source it; bash only).
# Starts processes in the background, remembers them, waits for their ports, and on exit stops them in
# reverse order (services before the broker they need), killing what does not stop in 20 s.
# The caller sets: proc_label (prefix of messages), proc_logs (log directory).

proc_pids=()
proc_names=()
proc_stopping=0

say() { printf '%s\n' "$@" 2>/dev/null; }
fail() { say "$proc_label: $*" >&2; exit 1; }
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

require_free_ports() {
  local p
  for p in "$@"; do
    port_busy "$p" && fail "port $p on 127.0.0.1 is already in use (another run still going?). Stop it first."
  done
  return 0
}

start_process() { # name logfile command...
  local name=$1 log=$2; shift 2
  "$@" >"$log" 2>&1 &
  proc_pids+=($!); proc_names+=("$name")
  say "    started $name (pid $!, log $log)"
}

pid_of() { # name
  local i
  for i in "${!proc_names[@]}"; do [ "${proc_names[$i]}" = "$1" ] && { echo "${proc_pids[$i]}"; return; }; done
}

check_processes() {
  local i
  for i in "${!proc_pids[@]}"; do
    kill -0 "${proc_pids[$i]}" 2>/dev/null || fail "${proc_names[$i]} exited unexpectedly; see its log in $proc_logs"
  done
}

wait_port() { # name port seconds
  local _
  for _ in $(seq 1 $(( $3 * 5 ))); do
    port_busy "$2" && return 0
    check_processes
    sleep 0.2
  done
  fail "$1 did not open port $2 within $3 s; see $proc_logs"
}

stop_processes() {
  [ "$proc_stopping" = 1 ] && return
  proc_stopping=1
  # Whatever happens to our output (a closed pipe after Ctrl-C on "| tee"), keep stopping processes.
  set +e
  trap '' PIPE INT TERM
  [ ${#proc_pids[@]} -gt 0 ] && say "" "==> Stopping (services first, then Kafka)"
  local i
  for ((i=${#proc_pids[@]}-1; i>=0; i--)); do
    kill -TERM "${proc_pids[$i]}" 2>/dev/null
    for _ in $(seq 1 100); do kill -0 "${proc_pids[$i]}" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "${proc_pids[$i]}" 2>/dev/null; then
      say "    ${proc_names[$i]} did not stop in 20 s; killing it"
      kill -KILL "${proc_pids[$i]}" 2>/dev/null
    fi
    wait "${proc_pids[$i]}" 2>/dev/null
    say "    stopped ${proc_names[$i]}"
  done
}

http_get() { # port path -> body on stdout, nothing if the port does not answer (no curl needed)
  # In a subshell: a failed redirection of 'exec' ends the shell that runs it.
  (
    exec 5<>"/dev/tcp/127.0.0.1/$1" || exit 0
    printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&5
    sed '1,/^\r$/d' <&5
  ) 2>/dev/null
}

json_number() { # json key -> first integer value of "key":N, nothing if absent
  grep -o "\"$2\":-\?[0-9]*" <<<"$1" | head -1 | cut -d: -f2 || true
}

service_jar() { # module -> its executable jar
  ls "$root/$1"/target/"$1"-*-exec.jar 2>/dev/null | head -1
}

# Peak resident set size of a process in MiB (VmHWM), empty if it is gone.
peak_rss_mib() {
  awk '/VmHWM/ { printf "%d", $2 / 1024 }' "/proc/$1/status" 2>/dev/null
}

# CPU time (user + system) a process used so far, in seconds (0 if it is gone); 2 decimals: a clock tick is 10 ms.
cpu_seconds() { # pid
  awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat" 2>/dev/null || echo 0
}

# CPU time of a process's JIT compiler threads so far, in seconds: a warm-up cost, to leave out of a per-record one.
jit_seconds() { # pid
  local hz t; hz=$(getconf CLK_TCK)
  for t in /proc/"$1"/task/*; do
    if grep -q Compiler "$t/comm" 2>/dev/null; then sed 's/.*) //' "$t/stat" | awk '{ print $12 + $13 }'; fi
  done | awk -v hz="$hz" '{ s += $1 } END { printf "%.2f", s / hz }'
}
