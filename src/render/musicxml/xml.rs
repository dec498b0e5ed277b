//! A thin layer over quick-xml's writer: elements written through closures, so every element
//! opened is closed, text and attributes escaped by the crate.

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

/// An XML document being written, indented by two spaces.
pub(super) struct Xml(Writer<Vec<u8>>);

impl Xml {
    pub fn new() -> Xml {
        Xml(Writer::new_with_indent(Vec::new(), b' ', 2))
    }

    fn write(&mut self, event: Event<'_>) {
        self.0
            .write_event(event)
            .expect("writing to memory cannot fail");
    }

    /// The XML declaration and a document type declaration of `doctype`'s text.
    pub fn prologue(&mut self, doctype: &str) {
        self.write(Event::Decl(BytesDecl::new(
            "1.0",
            Some("UTF-8"),
            Some("no"),
        )));
        self.write(Event::DocType(BytesText::from_escaped(doctype)));
    }

    fn start<'a>(name: &'a str, attributes: &[(&'a str, &'a str)]) -> BytesStart<'a> {
        BytesStart::new(name).with_attributes(attributes.iter().copied())
    }

    /// `<name …>`, what `inner` writes, `</name>`.
    pub fn element(
        &mut self,
        name: &str,
        attributes: &[(&str, &str)],
        inner: impl FnOnce(&mut Xml),
    ) {
        self.write(Event::Start(Xml::start(name, attributes)));
        inner(self);
        self.write(Event::End(BytesEnd::new(name)));
    }

    /// `<name …>text</name>`.
    pub fn text_with(&mut self, name: &str, attributes: &[(&str, &str)], text: &str) {
        self.write(Event::Start(Xml::start(name, attributes)));
        self.write(Event::Text(BytesText::new(text)));
        self.write(Event::End(BytesEnd::new(name)));
    }

    /// `<name>text</name>`.
    pub fn text(&mut self, name: &str, text: impl std::fmt::Display) {
        self.text_with(name, &[], &text.to_string());
    }

    /// `<name …/>`.
    pub fn empty(&mut self, name: &str, attributes: &[(&str, &str)]) {
        self.write(Event::Empty(Xml::start(name, attributes)));
    }

    pub fn into_bytes(self) -> Vec<u8> {
        let mut bytes = self.0.into_inner();
        bytes.push(b'\n');
        bytes
    }
}
