def deep():
    raise KeyboardInterrupt


print("before")
deep()
