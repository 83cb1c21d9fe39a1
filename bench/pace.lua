-- Paced load for wrk scripts: `dofile(<bench dir> .. "pace.lua")(rate, threads)` defines wrk's
-- delay() so that RATE requests/s arrive over all connections (THREADS = wrk's -t) instead of
-- as fast as answers come. Each wrk thread hands its connections send slots RATE/THREADS per
-- second apart; latency is still measured from each request's send. With 64 connections in a
-- closed loop the mean latency is only 64 / throughput, which says nothing about the latency at
-- a given rate: a paced run measures that. A rate of 0 (or none) leaves the closed loop.
return function(rate, threads)
  if not rate or rate <= 0 then return end
  local ffi = require("ffi")
  pcall(ffi.cdef, [[
    typedef struct { long tv_sec; long tv_nsec; } cw_timespec;
    int clock_gettime(int clk_id, cw_timespec *tp);
  ]])
  local ts = ffi.new("cw_timespec")
  local CLOCK_MONOTONIC = 1
  local function now_ms()
    ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
    return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
  end
  local interval = 1000 * (threads or 2) / rate  -- ms between two sends of this thread
  local slot = nil

  -- Called before each request of any of the thread's connections: the next free slot. wrk
  -- takes whole milliseconds; the slots themselves stay exact, so the rate holds on average.
  function delay()
    local now = now_ms()
    slot = math.max(now, (slot or now) + interval)
    return math.floor(slot - now)
  end
end
