//! The dashboard's charts: drawn by `plotters` as SVG on the server (no script in the page), each
//! in a `<figure>` with its numbers beside it in a table (`data-x`, `data-value` on each row),
//! for people who do not see the chart and for tests.

use std::fmt::Write;

use plotters::prelude::*;

use super::page::esc;

/// One chart's numbers: a label (a day, a policy, a stack) and a value per point.
#[derive(Clone, Debug)]
pub struct Series {
    /// The chart's id in the page (`data-chart`), e.g. `violation-rate`.
    pub id: &'static str,
    /// Its title.
    pub title: String,
    /// What the labels are (the table's first column).
    pub x_name: &'static str,
    /// What the values are (the table's second column).
    pub y_name: &'static str,
    /// The points, in order.
    pub points: Vec<(String, f64)>,
    /// Whether values are shares from 0 to 1, shown as percentages.
    pub percent: bool,
    /// Where each label links to, if anywhere.
    pub links: Vec<String>,
    /// A line chart's whole x axis (every day of the window, in order), when it is longer than
    /// the points (a day without runs has no rate): points are drawn at their label's place.
    pub axis: Vec<String>,
}

const WIDTH: u32 = 480;
const HEIGHT: u32 = 200;
const LINE: RGBColor = RGBColor(31, 95, 191);
const BAR: RGBColor = RGBColor(179, 38, 30);

impl Series {
    fn shown(&self, v: f64) -> String {
        if self.percent {
            format!("{:.1} %", v * 100.0)
        } else if v.fract() == 0.0 {
            format!("{v:.0}")
        } else {
            format!("{v:.2}")
        }
    }

    fn max(&self) -> f64 {
        let top = self.points.iter().map(|(_, v)| *v).fold(0.0, f64::max);
        if self.percent {
            top.clamp(0.01, 1.0) * 1.1
        } else {
            (top * 1.1).max(1.0)
        }
    }

    /// The figure: the title, the SVG (or a note when there is nothing to draw) and the table.
    fn figure(&self, svg: Result<String, String>) -> String {
        let mut out = String::new();
        let _ = write!(
            out,
            r#"<figure class="chart" data-chart="{id}"><figcaption><h2 id="chart-{id}">{title}</h2></figcaption>"#,
            id = self.id,
            title = esc(&self.title)
        );
        match svg {
            Ok(svg) if !self.points.is_empty() => {
                let labelled = svg.replacen(
                    "<svg ",
                    &format!(r#"<svg role="img" aria-labelledby="chart-{}" "#, self.id),
                    1,
                );
                out.push_str(&labelled);
            }
            Ok(_) => out.push_str(r#"<p class="muted">No data in this window.</p>"#),
            Err(e) => {
                let _ = write!(
                    out,
                    r#"<p class="error">The chart cannot be drawn: {}</p>"#,
                    esc(&e)
                );
            }
        }
        let _ = write!(
            out,
            r#"<details class="data"><summary>The numbers</summary><table data-chart="{id}"><thead><tr><th>{x}</th><th class="num">{y}</th></tr></thead><tbody>"#,
            id = self.id,
            x = esc(self.x_name),
            y = esc(self.y_name),
        );
        for (i, (label, value)) in self.points.iter().enumerate() {
            let cell = match self.links.get(i) {
                Some(href) => format!(r#"<a href="{}">{}</a>"#, esc(href), esc(label)),
                None => esc(label),
            };
            let _ = write!(
                out,
                r#"<tr data-x="{x}" data-value="{value}"><td>{cell}</td><td class="num">{shown}</td></tr>"#,
                x = esc(label),
                shown = self.shown(*value),
            );
        }
        out.push_str("</tbody></table></details></figure>");
        out
    }
}

/// An axis tick of a count: whole numbers as such, others with one decimal.
fn tick(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

fn drawing_error<E: std::error::Error + Send + Sync>(e: DrawingAreaErrorKind<E>) -> String {
    e.to_string()
}

/// A line chart over time (the labels are days, in order).
pub fn line(series: &Series) -> String {
    let svg = (|| -> Result<String, String> {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
            root.fill(&WHITE).map_err(drawing_error)?;
            let axis: Vec<&str> = if series.axis.is_empty() {
                series.points.iter().map(|(l, _)| l.as_str()).collect()
            } else {
                series.axis.iter().map(String::as_str).collect()
            };
            let last = i32::try_from(axis.len().max(2) - 1).unwrap_or(i32::MAX);
            let mut chart = ChartBuilder::on(&root)
                .margin(8)
                .x_label_area_size(28)
                .y_label_area_size(48)
                .build_cartesian_2d(0..last, 0f64..series.max())
                .map_err(drawing_error)?;
            let percent = series.percent;
            chart
                .configure_mesh()
                .label_style(("sans-serif", 15))
                .light_line_style(WHITE)
                .disable_x_mesh()
                .x_labels(6)
                .x_label_formatter(&|i| {
                    usize::try_from(*i)
                        .ok()
                        .and_then(|i| axis.get(i))
                        .map(|l| l.get(5..).unwrap_or(l).to_owned())
                        .unwrap_or_default()
                })
                .y_labels(5)
                .y_label_formatter(&|v| {
                    if percent {
                        format!("{:.0}%", v * 100.0)
                    } else {
                        tick(*v)
                    }
                })
                .draw()
                .map_err(drawing_error)?;
            let points: Vec<(i32, f64)> = series
                .points
                .iter()
                .filter_map(|(l, v)| {
                    let at = axis.iter().position(|a| a == l)?;
                    Some((i32::try_from(at).ok()?, *v))
                })
                .collect();
            let points = points.into_iter();
            chart
                .draw_series(LineSeries::new(points.clone(), LINE.stroke_width(2)))
                .map_err(drawing_error)?;
            chart
                .draw_series(points.map(|p| Circle::new(p, 2, LINE.filled())))
                .map_err(drawing_error)?;
            root.present().map_err(drawing_error)?;
        }
        Ok(svg)
    })();
    series.figure(svg)
}

/// A horizontal bar chart of labelled values (top policies, worst stacks), largest first as
/// given.
pub fn bars(series: &Series) -> String {
    let svg = (|| -> Result<String, String> {
        let mut svg = String::new();
        {
            let rows = u32::try_from(series.points.len().max(1)).unwrap_or(1);
            let height = (rows * 26 + 40).clamp(80, 420);
            let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
            root.fill(&WHITE).map_err(drawing_error)?;
            let n = i32::try_from(series.points.len().max(1)).unwrap_or(1);
            let mut chart = ChartBuilder::on(&root)
                .margin(8)
                .x_label_area_size(24)
                .y_label_area_size(150)
                .build_cartesian_2d(0f64..series.max(), (0..n).into_segmented())
                .map_err(drawing_error)?;
            let labels = &series.points;
            let percent = series.percent;
            chart
                .configure_mesh()
                .label_style(("sans-serif", 15))
                .light_line_style(WHITE)
                .disable_y_mesh()
                .y_labels(labels.len().max(1))
                .y_label_formatter(&|v| match v {
                    SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => usize::try_from(*i)
                        .ok()
                        .and_then(|i| labels.get(i))
                        .map(|(l, _)| {
                            if l.chars().count() > 22 {
                                format!("{}…", l.chars().take(21).collect::<String>())
                            } else {
                                l.clone()
                            }
                        })
                        .unwrap_or_default(),
                    SegmentValue::Last => String::new(),
                })
                .x_labels(5)
                .x_label_formatter(&|v| {
                    if percent {
                        format!("{:.0}%", v * 100.0)
                    } else {
                        tick(*v)
                    }
                })
                .draw()
                .map_err(drawing_error)?;
            chart
                .draw_series(
                    Histogram::horizontal(&chart)
                        .style(BAR.mix(0.8).filled())
                        .margin(4)
                        .data(
                            series
                                .points
                                .iter()
                                .enumerate()
                                .map(|(i, (_, v))| (i32::try_from(i).unwrap_or(i32::MAX), *v)),
                        ),
                )
                .map_err(drawing_error)?;
            root.present().map_err(drawing_error)?;
        }
        Ok(svg)
    })();
    series.figure(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(points: &[(&str, f64)], percent: bool) -> Series {
        Series {
            id: "t",
            title: "A <test>".into(),
            x_name: "day",
            y_name: "share",
            points: points.iter().map(|(l, v)| ((*l).to_owned(), *v)).collect(),
            percent,
            links: Vec::new(),
            axis: Vec::new(),
        }
    }

    #[test]
    fn a_line_chart_is_svg_with_its_numbers_in_a_table() {
        let html = line(&series(
            &[
                ("2026-12-01", 0.25),
                ("2026-12-02", 0.5),
                ("2026-12-03", 0.0),
            ],
            true,
        ));
        assert!(html.contains("<svg role=\"img\""), "{html}");
        assert!(
            html.contains("<path") || html.contains("<polyline"),
            "{html}"
        );
        assert!(html.contains(r#"<tr data-x="2026-12-02" data-value="0.5"><td>2026-12-02</td><td class="num">50.0 %</td></tr>"#), "{html}");
        assert!(html.contains("A &lt;test&gt;"));
    }

    #[test]
    fn a_bar_chart_names_its_bars_and_an_empty_one_says_so() {
        let html = bars(&series(
            &[("AWS-S3-001", 12.0), ("AWS-EC2-002", 3.0)],
            false,
        ));
        let svg = html.split("<details").next().unwrap();
        assert!(
            svg.contains("AWS-S3-001") && svg.contains("AWS-EC2-002"),
            "{html}"
        );
        assert!(svg.contains(r#"font-size="12."#), "labels readable: {html}");
        assert!(html.contains(r#"data-value="12""#), "{html}");
        assert!(html.contains("<rect"), "{html}");
        let empty = bars(&series(&[], false));
        assert!(empty.contains("No data in this window."), "{empty}");
        assert!(!empty.contains("<svg"));
    }
}
