# Writes `lines` lines of a web server log (fixed seed: the same bytes every time), for the
# compressed workloads of make_workloads.sh: text that compresses as logs do (gzip -6: 4.4:1).
BEGIN {
  srand(1)
  split("GET POST PUT GET GET DELETE GET POST", method, " ")
  split("/api/v1/users /api/v1/orders /api/v2/search /static/app.js /static/style.css /health /api/v1/login /api/v1/cart /images/logo.png /api/v2/items", path, " ")
  split("200 200 200 200 200 304 200 404 500 201 200 302", status, " ")
  split("INFO INFO INFO INFO DEBUG WARN INFO ERROR", level, " ")
  split("web-01 web-02 web-03 api-01 api-02", host, " ")
  t = 1764633600
  for (i = 0; i < lines; i++) {
    t += int(rand() * 3)  # seconds between requests
    printf "%s.%03d %s %s nginx[%d]: %d.%d.%d.%d - - \"%s %s?id=%d HTTP/1.1\" %s %d %.3f \"Mozilla/5.0\"\n",
      strftime("%Y-%m-%dT%H:%M:%S", t, 1), int(rand()*1000), host[int(rand()*5)+1], level[int(rand()*8)+1],
      1000 + int(rand()*9000), int(rand()*223)+1, int(rand()*256), int(rand()*256), int(rand()*256),
      method[int(rand()*8)+1], path[int(rand()*10)+1], int(rand()*1000000), status[int(rand()*12)+1],
      int(rand()*50000), rand()*2
  }
}
