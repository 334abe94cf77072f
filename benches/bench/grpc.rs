//! Just enough HTTP/2 and gRPC to time GetProviderSchema and the transport's own round trip.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// Just enough HTTP/2 (prior knowledge, no TLS) to make unary gRPC calls and pings.
pub struct H2 {
    s: TcpStream,
    authority: String,
    next_stream: u32,
}

type Frame = (u8, u8, u32, Vec<u8>);

impl H2 {
    pub fn connect(addr: &str) -> std::io::Result<H2> {
        let s = TcpStream::connect(addr)?;
        s.set_nodelay(true)?;
        s.set_read_timeout(Some(Duration::from_secs(20)))?;
        let mut h = H2 { s, authority: addr.to_owned(), next_stream: 1 };
        h.s.write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")?;
        // SETTINGS_INITIAL_WINDOW_SIZE = 16 MiB, and the connection window raised to match.
        h.frame(0x4, 0, 0, &[0, 4, 0x01, 0, 0, 0])?;
        h.frame(0x8, 0, 0, &(16u32 << 20).to_be_bytes())?;
        Ok(h)
    }

    fn frame(&mut self, ty: u8, flags: u8, stream: u32, payload: &[u8]) -> std::io::Result<()> {
        let n = payload.len();
        let mut f = vec![(n >> 16) as u8, (n >> 8) as u8, n as u8, ty, flags];
        f.extend_from_slice(&(stream & 0x7fff_ffff).to_be_bytes());
        f.extend_from_slice(payload);
        self.s.write_all(&f)
    }

    fn read_frame(&mut self) -> std::io::Result<Frame> {
        let mut head = [0u8; 9];
        self.s.read_exact(&mut head)?;
        let n = (head[0] as usize) << 16 | (head[1] as usize) << 8 | head[2] as usize;
        let stream = u32::from_be_bytes([head[5], head[6], head[7], head[8]]) & 0x7fff_ffff;
        let mut payload = vec![0u8; n];
        self.s.read_exact(&mut payload)?;
        Ok((head[3], head[4], stream, payload))
    }

    /// The next frame that is not connection housekeeping (SETTINGS, server PINGs, WINDOW_UPDATE).
    fn next(&mut self) -> std::io::Result<Frame> {
        loop {
            let f = self.read_frame()?;
            match (f.0, f.1 & 1) {
                (0x4, 0) => self.frame(0x4, 1, 0, &[])?,
                (0x4, _) | (0x8, _) => {}
                (0x6, 0) => self.frame(0x6, 1, 0, &f.3)?,
                (0x7, _) => return Err(std::io::Error::other(format!("GOAWAY {:?}", f.3))),
                _ => return Ok(f),
            }
        }
    }

    /// Round trip of an HTTP/2 PING: the transport's own floor on this connection.
    pub fn ping(&mut self) -> std::io::Result<Duration> {
        let started = Instant::now();
        self.frame(0x6, 0, 0, b"benchpng")?;
        loop {
            let f = self.next()?;
            if f.0 == 0x6 && f.1 & 1 == 1 {
                return Ok(started.elapsed());
            }
        }
    }

    /// One unary gRPC call: the response message, when its last byte arrived and when the
    /// stream ended (the trailers carrying grpc-status), both from the first byte sent.
    pub fn unary(&mut self, path: &str, msg: &[u8]) -> std::io::Result<Unary> {
        let stream = self.next_stream;
        self.next_stream += 2;
        let mut block = Vec::new();
        let authority = self.authority.clone();
        for (k, v) in [
            (":method", "POST"),
            (":scheme", "http"),
            (":path", path),
            (":authority", authority.as_str()),
            ("content-type", "application/grpc"),
            ("te", "trailers"),
        ] {
            block.push(0); // literal header field without indexing, new name
            hpack_string(&mut block, k);
            hpack_string(&mut block, v);
        }
        let mut body = vec![0u8];
        body.extend_from_slice(&(msg.len() as u32).to_be_bytes());
        body.extend_from_slice(msg);
        let started = Instant::now();
        self.frame(0x1, 0x4, stream, &block)?;
        self.frame(0x0, 0x1, stream, &body)?;
        let mut data = Vec::new();
        let mut message_at = Duration::ZERO;
        loop {
            let (ty, flags, sid, mut payload) = self.next()?;
            if sid != stream {
                continue;
            }
            match ty {
                0x0 => {
                    if flags & 0x8 != 0 && !payload.is_empty() {
                        let pad = payload[0] as usize;
                        payload = payload[1..payload.len().saturating_sub(pad)].to_vec();
                    }
                    data.extend_from_slice(&payload);
                    message_at = started.elapsed();
                    if flags & 1 != 0 {
                        break;
                    }
                }
                0x1 if flags & 1 != 0 => break,
                0x3 => return Err(std::io::Error::other(format!("RST_STREAM {payload:?}"))),
                _ => {}
            }
        }
        let end = started.elapsed();
        if data.len() < 5 {
            return Err(std::io::Error::other("gRPC call returned no message (an error status)"));
        }
        Ok(Unary { message: data[5..].to_vec(), message_at, end })
    }
}

pub struct Unary {
    pub message: Vec<u8>,
    pub message_at: Duration,
    pub end: Duration,
}

fn hpack_string(out: &mut Vec<u8>, s: &str) {
    // Not Huffman-coded; length as a 7-bit-prefix integer.
    let mut n = s.len();
    if n < 127 {
        out.push(n as u8);
    } else {
        out.push(127);
        n -= 127;
        while n >= 128 {
            out.push((n % 128 + 128) as u8);
            n /= 128;
        }
        out.push(n as u8);
    }
    out.extend_from_slice(s.as_bytes());
}
