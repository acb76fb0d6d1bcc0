//! CSV files, written with `csv::Writer`: a field with a comma, a quote or a line break (a
//! sector named `AI, "gen" apps`) is quoted as RFC 4180 says, so every row has as many
//! fields as the header. Plain fields come out as they are (no quotes added).

use crate::error::{PresentError, PresentResult};

/// A CSV document from its header and rows of already formatted cells; a row with a
/// different number of fields than the header is an error (a bug in the caller).
pub fn csv_bytes<H, R>(header: H, rows: R) -> PresentResult<Vec<u8>>
where
    H: IntoIterator,
    H::Item: AsRef<[u8]>,
    R: IntoIterator,
    R::Item: IntoIterator,
    <R::Item as IntoIterator>::Item: AsRef<[u8]>,
{
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).map_err(PresentError::new)?;
    for row in rows {
        w.write_record(row).map_err(PresentError::new)?;
    }
    w.into_inner().map_err(PresentError::new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_with_commas_and_quotes_are_quoted() {
        // RFC 4180 section 2: fields containing commas or double quotes are enclosed in
        // double quotes, and a double quote inside is escaped by doubling it.
        let got = csv_bytes(["q", "share_AI, \"gen\" apps"], [["0", "0.5"]]).unwrap();
        assert_eq!(got, b"q,\"share_AI, \"\"gen\"\" apps\"\n0,0.5\n");
        let mut r = csv::Reader::from_reader(got.as_slice());
        assert_eq!(r.headers().unwrap().len(), 2);
        assert!(csv_bytes(["a", "b"], [["1"]]).is_err());
    }
}
