//! Values over several runs and how the report prints them.

/// Values of one figure over several runs.
#[derive(Clone, Debug, Default)]
pub struct Stats(pub Vec<f64>);

impl Stats {
    pub fn push(&mut self, v: f64) {
        self.0.push(v);
    }
    pub fn sorted(&self) -> Vec<f64> {
        let mut v = self.0.clone();
        v.sort_by(f64::total_cmp);
        v
    }
    pub fn median(&self) -> f64 {
        let v = self.sorted();
        let n = v.len();
        if n == 0 {
            f64::NAN
        } else if n % 2 == 1 {
            v[n / 2]
        } else {
            (v[n / 2 - 1] + v[n / 2]) / 2.0
        }
    }
    pub fn min(&self) -> f64 {
        self.sorted().first().copied().unwrap_or(f64::NAN)
    }
    pub fn max(&self) -> f64 {
        self.sorted().last().copied().unwrap_or(f64::NAN)
    }
    pub fn runs(&self) -> usize {
        self.0.len()
    }
    /// `median (min–max)`, or the single value.
    pub fn show(&self, f: fn(f64) -> String) -> String {
        if self.runs() <= 1 {
            f(self.median())
        } else {
            format!("{} ({} – {})", f(self.median()), f(self.min()), f(self.max()))
        }
    }
}

pub fn ms(v: f64) -> String {
    if v.is_nan() {
        "—".into()
    } else if v.abs() < 1.0 {
        format!("{v:.2} ms")
    } else if v.abs() < 10.0 {
        format!("{v:.1} ms")
    } else if v.abs() < 10_000.0 {
        format!("{v:.0} ms")
    } else {
        format!("{:.2} s", v / 1000.0)
    }
}

pub fn mb(kb: f64) -> String {
    format!("{:.1} MB", kb * 1024.0 / 1e6)
}

pub fn calls(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

pub fn ratio(v: f64) -> String {
    if v.is_nan() || v.is_infinite() {
        "—".into()
    } else {
        format!("{v:.2}×")
    }
}

/// `1,000` for 1000 (account counts in figure names).
pub fn thousands(n: usize) -> String {
    if n >= 1000 {
        format!("{},{:03}", n / 1000, n % 1000)
    } else {
        n.to_string()
    }
}

pub fn ceil_div(a: usize, b: usize) -> usize {
    a.div_ceil(b)
}
