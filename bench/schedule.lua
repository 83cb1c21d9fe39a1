-- wrk script: POST JobSchedule with the CSRF token and session cookie given in the environment.
wrk.method = "POST"
wrk.headers["X-CSRF-Token"] = os.getenv("CW_TOKEN")
wrk.headers["Cookie"] = os.getenv("CW_COOKIE")
