package org.nettricks.report;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.nettricks.io.AtomicFiles;
import org.nettricks.io.internal.Json;

/**
 * One self-contained HTML page of charts, the frame every NetTricks report shares (training,
 * search, pre-training, diagnosis, gradient check): it opens with no network. Its charts are drawn
 * in the browser as SVG, with tooltips, by Apache ECharts {@value #ECHARTS_VERSION} (its WebJar's
 * {@code dist/echarts.min.js}, inlined; Apache License 2.0) from chart descriptions embedded as
 * JSON; images are PNGs in {@code data:} URLs.
 *
 * <p>The part of the page that never changes (the style sheet, the console recorder, the ~1 MB
 * library, the renderer) is prepared once per process as UTF-8 bytes, so that rewriting a report
 * after every epoch or trial only builds its title, body and data.
 *
 * <p>A chart description is a map with {@code id} (the element id), {@code title}, optionally
 * {@code host} (the id of the element it is drawn into; {@code charts} by default) and {@code kind}:
 * <ul>
 *   <li>{@code line}: {@code x}, {@code y} (axis names), {@code logX}, {@code logY}, optionally
 *       {@code xContinuous} (a value x axis scaled to the data, not an integer one from its minimum
 *       to its maximum as for epochs and trials),
 *       {@code categories} (a category x axis of these names), {@code threshold} (a horizontal line
 *       at that y, named {@code thresholdName}), {@code mark}/{@code markName} (a vertical line at
 *       that x), {@code xMarks} (dashed red vertical lines, each {@code x} and {@code name}), and {@code series}, each {@code name}, {@code data} ([[x, y] …], NaN for no value)
 *       and optionally {@code style} {@code points} (drawn as a scatter of symbols, {@code symbol}
 *       one of ECharts' symbol names) rather than a line, {@code color} (CSS) and {@code dashed}; a line of more than 60
 *       points is drawn without symbols;</li>
 *   <li>{@code histogram} and {@code bars}: {@code bins} (the category names), optionally
 *       {@code labelEvery} (a histogram's bins named under the axis: every so many), {@code x},
 *       {@code y}, {@code logY}, {@code threshold}/{@code thresholdName}, and {@code series} of
 *       {@code name} and {@code data} (one value per category, null for none; {@code bars} write
 *       each value above its bar; the axis reaches the threshold); with {@code logY}
 *       the values are drawn as diamonds rather than bars (a bar has no base on a log axis), the
 *       axis spanning the values and the threshold with a decade to spare;</li>
 *   <li>{@code heatmap}: {@code classes}, {@code cells} [column, row, count] …, {@code max};</li>
 *   <li>{@code parallel} (parallel coordinates, Inselberg 1985): {@code axes}, each {@code name},
 *       {@code type} ({@code value}, {@code log} or {@code category} with {@code data} its
 *       categories), optionally {@code min} and {@code max}, and {@code series} of {@code name} and {@code data} (one row per line, one value
 *       per axis).</li>
 * </ul>
 * The page records every console error and uncaught exception in its body's
 * {@code data-console-errors} attribute, sets {@code data-charts} to the number of charts drawn and,
 * once loaded, {@code data-images} and {@code data-broken-images} to the images decoded and not, so
 * that a headless browser's dumped DOM shows whether it rendered (docs/reports.md).
 */
public final class ChartPage {
    /** The version of the ECharts WebJar inlined (the build's dependency). */
    public static final String ECHARTS_VERSION = "5.3.1";
    private static final String ECHARTS = "META-INF/resources/webjars/echarts/" + ECHARTS_VERSION + "/dist/echarts.min.js";
    private static byte[] head;
    private static byte[] tail;

    private ChartPage() {
    }

    /**
     * Writes the page to {@code file} atomically (a reader never sees half a file).
     *
     * @param title  the page's title (plain text)
     * @param body   the body's HTML, holding the elements the charts are drawn into (by default one
     *               {@code <div id="charts">})
     * @param charts the charts' descriptions (see the class comment), drawn in this order
     * @throws IOException naming the file when it cannot be written
     */
    public static void write(Path file, String title, String body, List<Map<String, Object>> charts)
            throws IOException {
        byte[] middle = middle(title, body, charts).getBytes(StandardCharsets.UTF_8);
        byte[] start = head();
        byte[] end = tail();
        AtomicFiles.write(file, out -> writeAll(out, start, middle, end));
    }

    /** The page as HTML text, as {@link #write} writes it. */
    public static String html(String title, String body, List<Map<String, Object>> charts) {
        return new String(head(), StandardCharsets.UTF_8) + middle(title, body, charts)
                + new String(tail(), StandardCharsets.UTF_8);
    }

    private static void writeAll(OutputStream out, byte[]... parts) throws IOException {
        for (byte[] p : parts) {
            out.write(p);
        }
    }

    private static String middle(String title, String body, List<Map<String, Object>> charts) {
        String data = Json.write(Map.of("charts", charts)).replace("</", "<\\/");
        return "<title>" + escape(title) + "</title>\n</head><body data-charts=\"0\" data-console-errors=\"[]\">\n"
                + body + "<p class=\"small\">Charts: Apache ECharts " + ECHARTS_VERSION
                + " (Apache License 2.0), inlined.</p>\n<script type=\"application/json\" id=\"report-data\">" + data
                + "</script>\n";
    }

    private static synchronized byte[] head() {
        if (head == null) {
            head = ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<style>" + CSS + "</style>\n"
                    + "<script>" + CONSOLE_RECORDER + "</script>\n<script>" + echartsSource() + "</script>\n")
                    .getBytes(StandardCharsets.UTF_8);
        }
        return head;
    }

    private static synchronized byte[] tail() {
        if (tail == null) {
            tail = ("<script>" + RENDERER + "</script>\n</body></html>\n").getBytes(StandardCharsets.UTF_8);
        }
        return tail;
    }

    /** ECharts' minified source from its WebJar on the class path. */
    static String echartsSource() {
        try (InputStream in = ChartPage.class.getClassLoader().getResourceAsStream(ECHARTS)) {
            if (in == null) {
                throw new IllegalStateException(ECHARTS + " is missing from the class path: rebuild NetTricks");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code s} with the HTML special characters escaped, for text and attribute values. */
    public static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** {@code image} as a PNG in a {@code data:} URL. */
    public static String png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: no I/O
        }
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(out.toByteArray());
    }

    /** Appends a two-column table of {@code rows} (values other than text written as JSON) under a heading. */
    public static void table(StringBuilder sb, String title, String id, Map<String, ?> rows) {
        sb.append("<h2>").append(escape(title)).append("</h2>\n<table id=\"").append(id).append("\">\n");
        for (Map.Entry<String, ?> e : rows.entrySet()) {
            Object v = e.getValue();
            sb.append("<tr><th>").append(escape(e.getKey())).append("</th><td>")
                    .append(escape(v instanceof String s ? s : Json.write(v))).append("</td></tr>\n");
        }
        sb.append("</table>\n");
    }

    private static final String CSS = "body{font-family:sans-serif;margin:1.5em;max-width:1300px;color:#222}"
            + ".chart{width:600px;height:340px;display:inline-block;margin:4px;border:1px solid #eee}"
            + ".chart.wide{width:1216px;height:420px}"
            + "table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ddd;padding:2px 6px;"
            + "text-align:left;vertical-align:top}.small{font-size:12px;color:#555}"
            + "tr.pruned td{color:#8a6d00}tr.failed td{color:#b00020}"
            + ".tiles figure{display:inline-block;margin:3px;text-align:center;font-size:11px}"
            + ".tiles img,.filters{image-rendering:pixelated}.tiles img{width:56px;height:56px}"
            + ".filters{width:560px}";

    /** Records console errors and uncaught errors in the body's data-console-errors attribute. */
    private static final String CONSOLE_RECORDER = """
            (function(){var errs=[];function rec(m){errs.push(String(m));if(document.body){document.body.setAttribute(\
            'data-console-errors',JSON.stringify(errs));}}window.__reportErrors=errs;window.__recordError=rec;\
            window.addEventListener('error',function(e){rec(e.message||e);});\
            window.addEventListener('unhandledrejection',function(e){rec(e.reason);});\
            var original=console.error;console.error=function(){rec(Array.prototype.join.call(arguments,' '));\
            original.apply(console,arguments);};})();""";

    /** Draws each chart of the embedded data with ECharts' SVG renderer. */
    private static final String RENDERER = """
            (function(){
            var data=JSON.parse(document.getElementById('report-data').textContent);
            var drawn=0;
            function sci(v){return v===0?'0':(Math.abs(Math.log10(v))>=3?v.toExponential(0):String(+v.toPrecision(3)));}
            function hline(c){return c.threshold==null?undefined:{symbol:'none',silent:true,data:[{yAxis:c.threshold,
              lineStyle:{type:'dashed',color:'#c00'},label:{formatter:c.thresholdName||String(c.threshold),position:'insideEndTop'}}]};}
            data.charts.forEach(function(c){
              var box=document.createElement('div');box.className='chart'+(c.wide?' wide':'');box.id=c.id;box.setAttribute('data-kind',c.kind);
              document.getElementById(c.host||'charts').appendChild(box);
              var chart=echarts.init(box,null,{renderer:'svg'});var o;
              var base={animation:false,title:{text:c.title,textStyle:{fontSize:13}},tooltip:{trigger:'axis'},
                legend:{type:'scroll',bottom:0},grid:{left:70,right:30,top:45,bottom:60}};
              if(c.kind==='line'){
                var points=c.series.some(function(s){return s.style==='points';});
                if(points){base.tooltip={trigger:'item'};}
                o=Object.assign(base,{xAxis:c.categories?{type:'category',data:c.categories,name:c.x,nameLocation:'middle',nameGap:25}
                    :c.logX?{type:'log',name:c.x,nameLocation:'middle',nameGap:25,axisLabel:{formatter:sci}}
                    :c.xContinuous?{type:'value',name:c.x,scale:true,nameLocation:'middle',nameGap:25}
                    :{type:'value',name:c.x,minInterval:1,min:'dataMin',max:'dataMax',nameLocation:'middle',nameGap:25},
                  yAxis:{type:c.logY?'log':'value',name:c.y,scale:true},
                  series:c.series.map(function(s,i){var r=s.style==='points'
                      ?{name:s.name,type:'scatter',symbol:s.symbol||'circle',symbolSize:8,data:s.data}
                      :{name:s.name,type:'line',showSymbol:s.data.length<=60,data:s.data};
                    if(s.color){r.itemStyle={color:s.color};r.lineStyle={color:s.color};}
                    if(s.dashed){r.lineStyle=Object.assign(r.lineStyle||{},{type:'dashed'});}
                    if(i===0){var ml=[];if(c.mark){ml.push({xAxis:c.mark,label:{formatter:c.markName}});}
                      (c.xMarks||[]).forEach(function(m){ml.push({xAxis:m.x,name:m.name,label:{formatter:'failed'},lineStyle:{color:'#b00020',type:'dashed'}});});
                      if(c.threshold!=null){ml.push(hline(c).data[0]);}
                      if(ml.length){r.markLine={symbol:'none',data:ml};}}
                    return r;})});
              }else if(c.kind==='bars'&&c.logY){
                var vals=[];c.series.forEach(function(s){s.data.forEach(function(v){if(v>0){vals.push(v);}});});
                if(c.threshold!=null){vals.push(c.threshold);}
                var lo=Math.min.apply(null,vals.length?vals:[1e-12]),hi=Math.max.apply(null,vals.length?vals:[1]);
                o=Object.assign(base,{tooltip:{trigger:'item'},xAxis:{type:'category',data:c.bins,name:c.x,nameLocation:'middle',nameGap:35,
                    axisLabel:{interval:0,rotate:c.bins.length>4?20:0}},
                  yAxis:{type:'log',name:c.y,min:Math.pow(10,Math.floor(Math.log10(lo))-1),max:Math.pow(10,Math.ceil(Math.log10(hi))+1),
                    axisLabel:{formatter:sci}},
                  series:c.series.map(function(s,i){var r={name:s.name,type:'scatter',symbol:'diamond',symbolSize:14,
                    data:s.data.map(function(v,j){return v==null?null:[c.bins[j],v];}).filter(function(p){return p!=null;})};
                    return r;})});
                if(c.threshold!=null&&c.bins.length){o.series.push({name:c.thresholdName||'threshold',type:'line',symbol:'none',
                  data:[[c.bins[0],c.threshold],[c.bins[c.bins.length-1],c.threshold]],lineStyle:{type:'dashed',color:'#c00'},itemStyle:{color:'#c00'}});}
                o.grid.bottom=70;
              }else if(c.kind==='histogram'||c.kind==='bars'){
                o=Object.assign(base,{xAxis:{type:'category',data:c.bins,name:c.x||'value',nameLocation:'middle',nameGap:25,
                    axisLabel:c.kind==='bars'?{interval:0,rotate:c.bins.length>4?20:0}
                      :c.labelEvery?{interval:c.labelEvery-1}:undefined},
                  yAxis:{type:c.logY?'log':'value',name:c.y||'count',
                    max:c.threshold!=null?function(v){var m=Math.max(v.max,c.threshold*1.15),p=Math.pow(10,Math.floor(Math.log10(m)));
                      return Math.ceil(m/p)*p;}:undefined},
                  series:c.series.map(function(s,i){var r={name:s.name,type:'bar',data:s.data,barGap:'0%'};
                    if(c.kind==='bars'){r.label={show:true,position:'top',fontSize:10,formatter:function(p){return sci(p.value);}};}
                    if(i===0&&c.threshold!=null){r.markLine=hline(c);}return r;})});
                if(c.logY&&c.threshold!=null){var lo=c.threshold;c.series.forEach(function(s){s.data.forEach(function(v){if(v>0&&v<lo){lo=v;}});});
                  o.yAxis.min=Math.pow(10,Math.floor(Math.log10(lo)));}
              }else if(c.kind==='heatmap'){
                o=Object.assign(base,{tooltip:{position:'top'},legend:undefined,grid:{left:90,right:90,top:45,bottom:60},
                  xAxis:{type:'category',data:c.classes,name:'predicted',nameLocation:'middle',nameGap:45,
                    axisLabel:{interval:0,rotate:c.classes.length>6?30:0}},
                  yAxis:{type:'category',data:c.classes,name:'true',inverse:true,axisLabel:{interval:0}},
                  visualMap:{min:0,max:Math.max(1,c.max),calculable:false,orient:'vertical',right:5,top:'middle'},
                  series:[{name:'examples',type:'heatmap',data:c.cells,label:{show:c.classes.length<=12}}]});
              }else if(c.kind==='parallel'){
                o=Object.assign(base,{tooltip:{trigger:'item'},grid:undefined,
                  parallel:{left:60,right:110,top:60,bottom:50},
                  parallelAxis:c.axes.map(function(a,i){var r={dim:i,name:a.name,type:a.type,nameGap:12};
                    if(a.type==='category'){r.data=a.data;}else{r.scale=true;if(a.min!=null){r.min=a.min;r.max=a.max;}}
                    if(a.type==='log'){r.axisLabel={formatter:sci};}return r;}),
                  series:c.series.map(function(s){return {name:s.name,type:'parallel',data:s.data,
                    lineStyle:{width:1.5,opacity:0.7,color:s.color}};})});
              }
              chart.setOption(o);drawn++;
            });
            document.body.setAttribute('data-charts',String(drawn));
            window.addEventListener('load',function(){var ok=0,broken=0;
              document.querySelectorAll('img').forEach(function(i){if(i.complete&&i.naturalWidth>0){ok++;}else{broken++;}});
              document.body.setAttribute('data-images',String(ok));document.body.setAttribute('data-broken-images',String(broken));});
            })();""";
}
