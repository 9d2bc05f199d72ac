print("bench-parse: not built yet")
