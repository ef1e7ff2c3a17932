-- wrk script: the baseline, GET /health/live (no auth, no JSON body), measured in the same run.
wrk.method = "GET"
