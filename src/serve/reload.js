// The live-reload script of `ilji serve` (see reload.rs); `{GEN}` and `{INSTANCE}` are
// filled in for each page.
(function(){
var gen={GEN};var inst="{INSTANCE}";
function here(){try{return decodeURIComponent(location.pathname);}catch(e){return location.pathname;}}
function touched(d){var p=here();return d.all||d.pages.indexOf(p)>=0||d.pages.indexOf(p.replace(/index\.html$/,""))>=0;}
function swapCss(){document.querySelectorAll('link[rel="stylesheet"]').forEach(function(l){var u=new URL(l.href);u.searchParams.set("ilji",Date.now());l.href=u.toString();});}
function refresh(){fetch(location.href,{cache:"no-store"}).then(function(r){return r.text();}).then(function(html){
var doc=new DOMParser().parseFromString(html,"text/html");
if(doc.querySelector("body script[src]")){location.reload();return;}
document.title=doc.title;document.body.replaceWith(doc.body);}).catch(function(){location.reload();});}
function poll(){fetch("/__ilji/poll?since="+gen+"&instance="+inst,{cache:"no-store"}).then(function(r){return r.json();}).then(function(d){
if(d.instance!==inst){location.reload();return;}
if(d.generation>gen){gen=d.generation;if(touched(d)){refresh();}else if(d.css_only){swapCss();}}
poll();}).catch(function(){setTimeout(poll,1000);});}
poll();})();
