print("bench-fetch: not built yet")
