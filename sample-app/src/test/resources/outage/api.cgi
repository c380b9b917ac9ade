#!/bin/sh
# A dependency played by busybox httpd. Every request that reaches it is appended to /tmp/calls.log first;
# then it answers as /tmp/mode says: healthy (default), failing (500), hold (wait until /tmp/release exists, 30s at most),
# flaky (500 to every other call), throttled (503 with Retry-After: 1 to every other call), throttled-long (503 with
# Retry-After: 30 to every call), too-many (429 with Retry-After: 1 to every call), reset (the headers and a part of the
# body, then the script is killed: the connection closes mid-response, short of its Content-Length), drip (the headers
# and a part of the body, then a stalled body until /tmp/release exists, 10s at most, then the rest).
echo "$REQUEST_METHOD $PATH_INFO" >> /tmp/calls.log
if [ "$REQUEST_METHOD" = POST ] && [ -z "$CONTENT_LENGTH" ]; then
  # httpd does not decode a chunked body: refuse it plainly, as many servers do, rather than answer before reading it
  printf 'Status: 411 Length Required\r\nContent-Type: application/json\r\n\r\n{"error":"Content-Length required"}\n'
  exit 0
fi
if [ -n "$CONTENT_LENGTH" ] && [ "$CONTENT_LENGTH" -gt 0 ]; then head -c "$CONTENT_LENGTH" > /dev/null; fi
calls=$(wc -l < /tmp/calls.log)
case "$(cat /tmp/mode 2>/dev/null)" in
  flaky)
    if [ $((calls % 2)) -eq 1 ]; then
      printf 'Status: 500 Internal Server Error\r\nContent-Type: application/json\r\n\r\n{"error":"flaky"}\n'
      exit 0
    fi ;;
  throttled)
    if [ $((calls % 2)) -eq 1 ]; then
      printf 'Status: 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Type: application/json\r\n\r\n{"error":"throttled"}\n'
      exit 0
    fi ;;
  throttled-long)
    printf 'Status: 503 Service Unavailable\r\nRetry-After: 30\r\nContent-Type: application/json\r\n\r\n{"error":"throttled"}\n'
    exit 0 ;;
  too-many)
    printf 'Status: 429 Too Many Requests\r\nRetry-After: 1\r\nContent-Type: application/json\r\n\r\n{"error":"too many requests"}\n'
    exit 0 ;;
  reset)
    printf 'Content-Type: application/json\r\nContent-Length: 200\r\n\r\n{"id":"'
    kill -9 $$ ;;
  drip)
    printf 'Content-Type: application/json\r\nContent-Length: 69\r\n\r\n{"id":"'
    i=0; while [ ! -e /tmp/release ] && [ "$i" -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
    printf 'ch_drip","amount":1000,"currency":"EUR","status":"succeeded"}\n'
    exit 0 ;;
  failing)
    printf 'Status: 500 Internal Server Error\r\nContent-Type: application/json\r\n\r\n{"error":"failing"}\n'
    exit 0 ;;
  hold)
    # at most 30s: a test that failed before releasing must not leave scripts waiting for ever
    i=0; while [ ! -e /tmp/release ] && [ "$i" -lt 600 ]; do sleep 0.05; i=$((i + 1)); done ;;
esac
case "$REQUEST_METHOD $PATH_INFO" in
  "POST /charges")
    printf 'Status: 201 Created\r\nContent-Type: application/json\r\n\r\n{"id":"ch_%s","amount":1000,"currency":"EUR","status":"succeeded"}\n' "$calls" ;;
  "GET /charges/"*)
    printf 'Content-Type: application/json\r\n\r\n{"id":"%s","amount":1000,"currency":"EUR","status":"succeeded"}\n' "${PATH_INFO#/charges/}" ;;
  "GET /prices/"*)
    printf 'Content-Type: application/json\r\n\r\n{"sku":"%s","amount":1250,"currency":"EUR"}\n' "${PATH_INFO#/prices/}" ;;
  *)
    printf 'Status: 404 Not Found\r\nContent-Type: application/json\r\n\r\n{"error":"no route"}\n' ;;
esac
