import json, subprocess, sys, tempfile, time, re, urllib.request
import websocket
url = sys.argv[1]
queries = sys.argv[2:]
prof = tempfile.mkdtemp()
p = subprocess.Popen(["chromium","--headless=new","--no-sandbox","--disable-gpu","--disable-background-networking","--disable-component-update","--disable-sync","--no-first-run","--user-data-dir="+prof,"--remote-debugging-port=0","about:blank"], stderr=subprocess.PIPE, text=True)
ws_url=None
for line in p.stderr:
    m = re.search(r"DevTools listening on (ws://\S+)", line)
    if m: ws_url=m.group(1); break
port = re.search(r":(\d+)/", ws_url).group(1)
targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json"))
page = [t for t in targets if t["type"]=="page"][0]
ws = websocket.create_connection(page["webSocketDebuggerUrl"])
n=[0]
def call(method, params=None):
    n[0]+=1; ws.send(json.dumps({"id":n[0],"method":method,"params":params or {}}))
    while True:
        r=json.loads(ws.recv())
        if r.get("id")==n[0]: return r
def ev(expr):
    r=call("Runtime.evaluate",{"expression":expr,"returnByValue":True,"awaitPromise":True})
    return r["result"]["result"].get("value")
call("Page.navigate",{"url":url})
for _ in range(600):
    if ev("!!document.querySelector('#search-input')") and ev("document.readyState")=="complete": break
    time.sleep(0.05)
# warm: load the index once
t=time.time()
ev("new Promise(r=>{const i=document.querySelector('#search-input');i.value='고객';i.dispatchEvent(new Event('input'));const w=()=>document.querySelector('#search-results').dataset.ms?r(1):setTimeout(w,20);w();})")
print(f"index download+parse+first query: {(time.time()-t)*1000:.0f} ms")
for q in queries:
    times=[]
    for k in range(5):
        ms = ev(f"new Promise(r=>{{const l=document.querySelector('#search-results');delete l.dataset.ms;const i=document.querySelector('#search-input');i.value={json.dumps(q)};i.dispatchEvent(new Event('input'));const w=()=>l.dataset.ms?r(l.dataset.ms):setTimeout(w,5);w();}})")
        times.append(float(ms))
    status = ev("document.querySelector('#search-status').textContent")
    print(f"{q!r}: query {sorted(times)[2]:.1f} ms median of 5 ({status})")
p.terminate()
