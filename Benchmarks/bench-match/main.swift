print("bench-match: not built yet")
