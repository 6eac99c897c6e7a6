"""The HTTP and Socket.IO edges: the API, pages, sign-in and security, push, and the entities screens see."""
