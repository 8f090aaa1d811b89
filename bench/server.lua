-- wrk script of bench/server.sh: POSTs the same run (the file BODY) again and again, with the
-- API token TOKEN. The URL on wrk's command line names the stack's runs route.
local file = assert(io.open(os.getenv("BODY"), "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
