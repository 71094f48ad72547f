# SPDX-License-Identifier: GPL-2.0
# chart.gp - evn benchmark chart: each metric's ratio evn/peer, one bar per metric (from 1.0
# to the ratio of medians), whiskers from the smallest to the largest per-pair ratio, a line
# at 1.0 and a red mark at each goal. tests/bench/summarize.py --png writes the data and runs
#
#   gnuplot -c chart.gp DATA PNG ROWS CEILING_ROWS [NOTE]
#
# DATA: tab-separated rows "row label ratio min max goal rgb goal-text", two blocks (two
# blank lines between): the comparison groups, drawn on a linear scale, then the ceiling
# group (ratios far from 1), drawn below on a logarithmic scale when CEILING_ROWS > 0.
# ROWS, CEILING_ROWS: rows per block. NOTE: a line under the title (kernel, date).

data = ARG1
n1 = ARG3 + 0
n2 = ARG4 + 0
note = ARGC >= 5 ? ARG5 : ""
rowh = 24
h1 = n1 * rowh + 130
h2 = n2 > 0 ? n2 * rowh + 100 : 0
H = h1 + h2

set terminal pngcairo size 1150, H font "sans,10" noenhanced
set output ARG2
set datafile separator "\t"
set datafile missing "NaN"
set multiplot
set lmargin at screen 0.40
set rmargin at screen 0.97
set grid xtics lc rgb "#dddddd"
set key outside top center horizontal samplen 2
set xtics nomirror
set ytics nomirror scale 0
set border 3

set style fill solid 0.45 noborder

set size 1, h1 / (H * 1.0)
set origin 0, h2 / (H * 1.0)
set title sprintf("evn / peer: ratio of medians over interleaved runs (bar), min-max of the" . \
	" per-pair ratios (whiskers)\nQEMU TCG + soft-RoCE: only ratios within one boot count." . \
	"  %s", note)
set yrange [n1 + 0.6 : 0.4]
set xlabel "ratio evn / peer (higher is better for IOPS, MiB/s, files/s; lower for latency)"
set offsets 0.03, 0.12, 0, 0
set arrow 1 from first 1, graph 0 to first 1, graph 1 nohead lc rgb "#444444" lw 1.5
plot data index 0 using (1):1:($3 < 1 ? $3 : 1):($3 < 1 ? 1 : $3):($1 - 0.32):($1 + 0.32):7 \
		with boxxyerror lc rgb variable notitle, \
	'' index 0 using 3:1:4:5:ytic(2) with xerrorbars pt 7 ps 0.7 lc rgb "black" \
		title "ratio, min-max of pairs", \
	'' index 0 using 6:($1 - 0.42):(0):(0.84) with vectors nohead lw 2.5 lc rgb "red" \
		title "goal", \
	'' index 0 using ($5 > $3 ? $5 : $3):1:(sprintf(" %.2f", $3)) with labels left \
		notitle

if (n2 > 0) {
	set size 1, h2 / (H * 1.0)
	set origin 0, 0
	set title "the rig's ceiling: evn (a volume over one target) / local null_blk," . \
		" logarithmic scale"
	set yrange [n2 + 0.6 : 0.4]
	set logscale x
	set offsets 0, 0, 0, 0
	set xlabel "ratio evn / null_blk"
	set key off
	plot data index 1 using (1):1:($3 < 1 ? $3 : 1):($3 < 1 ? 1 : $3):($1 - 0.32):($1 + 0.32):7 \
			with boxxyerror lc rgb variable notitle, \
		'' index 1 using 3:1:4:5:ytic(2) with xerrorbars pt 7 ps 0.7 lc rgb "black" notitle, \
		'' index 1 using ($5 > $3 ? $5 : $3):1:(sprintf(" %.2f", $3)) with labels left \
			notitle
}
unset multiplot
