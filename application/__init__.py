"""The application layer: use cases (commands), the services edges receive, background loops, district loading."""
