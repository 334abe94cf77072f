wire_enum!(
    enum Colour {
        Red = "RED",
        DarkBlue = "DARK_BLUE",
    }
);

#[test]
fn known_values_round_trip_and_new_ones_are_kept() {
    for wire in ["RED", "DARK_BLUE"] {
        assert_eq!(Colour::from_wire(wire).as_str(), wire);
    }
    assert_eq!(Colour::from_wire("DARK_BLUE"), Colour::DarkBlue);
    let new = Colour::from("ULTRAVIOLET");
    assert_eq!(new, Colour::Unknown("ULTRAVIOLET".into()));
    assert_eq!(new.to_string(), "ULTRAVIOLET");
    // Matching is exact: AWS values are upper case.
    assert_eq!(Colour::from_wire("red"), Colour::Unknown("red".into()));
}
