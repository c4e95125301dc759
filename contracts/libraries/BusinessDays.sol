// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title BusinessDays
/// @notice Deadlines counted in business days: Saturdays and Sundays (UTC) are not counted.
/// @dev `add(t, n)` is the same time of day as `t` on the n-th business day after `t`'s day. A start on a
/// weekend counts from the following Monday: Saturday + 1 is Monday, as is Friday + 1. Public holidays
/// differ by country and are not modelled; parties who need them set a longer window in the terms.
library BusinessDays {
    uint256 private constant _DAY = 1 days;
    uint256 private constant _SATURDAY = 5; // day of the week with Monday = 0
    uint256 private constant _SUNDAY = 6;

    /// @notice The day of the week of `timestamp`, Monday = 0 ... Sunday = 6.
    function dayOfWeek(uint256 timestamp) internal pure returns (uint256) {
        // 1970-01-01 was a Thursday (3).
        return (timestamp / _DAY + 3) % 7;
    }

    /// @notice Whether `timestamp` falls on a Monday to Friday (UTC).
    function isBusinessDay(uint256 timestamp) internal pure returns (bool) {
        return dayOfWeek(timestamp) < _SATURDAY;
    }

    /// @notice `timestamp` moved forward by `businessDays` business days, keeping the time of day.
    function add(uint256 timestamp, uint256 businessDays) internal pure returns (uint256) {
        if (businessDays == 0) return timestamp;
        uint256 weekday = dayOfWeek(timestamp);
        // A weekend start behaves like Friday at the same time of day: the next business day is Monday.
        if (weekday >= _SATURDAY) {
            timestamp -= (weekday - 4) * _DAY;
            weekday = 4;
        }
        uint256 calendarDays = (businessDays / 5) * 7;
        uint256 rest = businessDays % 5;
        // Crossing a weekend within the remaining part of the week adds its two days.
        calendarDays += weekday + rest >= _SATURDAY ? rest + 2 : rest;
        return timestamp + calendarDays * _DAY;
    }
}
