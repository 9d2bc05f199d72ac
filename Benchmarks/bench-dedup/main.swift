print("bench-dedup: not built yet")
