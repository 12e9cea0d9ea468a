"""The browser front end: server-rendered pages built from the services' APIs, called with the
signed-in user's own token. It holds no pupil data of its own."""
