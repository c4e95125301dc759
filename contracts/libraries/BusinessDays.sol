// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title BusinessDays
/// @notice Deadlines counted in business days: Saturdays and Sundays (UTC) are not counted.
/// @dev `add(t, n)` for `t` on a Monday to Friday is the same time of day as `t` on the n-th weekday after
/// `t`'s day: Friday 10:00 + 1 is Monday 10:00. A start on a weekend counts from the following Monday
/// 00:00 UTC, so the whole of every business day is given: Saturday 00:00:01 + 1 is Tuesday 00:00:00
/// (not Monday 00:00:01, which would give no business time at all), and a claim filed on a Saturday
/// leaves the seller all 7 business days, Monday 00:00 to Wednesday of the next week 00:00. The result
/// never decreases as `t` grows: Sunday 23:59:59 + 1 and Monday 00:00:00 + 1 are both Tuesday 00:00:00.
/// `add(t, 0)` is `t` on a weekday and the next Monday 00:00 on a weekend. Public holidays differ by
/// country and are not modelled; parties who need them set a longer window in the terms.
library BusinessDays {
    uint256 private constant _DAY = 1 days;
    uint256 private constant _SATURDAY = 5; // day of the week with Monday = 0

    /// @notice The day of the week of `timestamp`, Monday = 0 ... Sunday = 6.
    function dayOfWeek(uint256 timestamp) internal pure returns (uint256) {
        // 1970-01-01 was a Thursday (3).
        return (timestamp / _DAY + 3) % 7;
    }

    /// @notice Whether `timestamp` falls on a Monday to Friday (UTC).
    function isBusinessDay(uint256 timestamp) internal pure returns (bool) {
        return dayOfWeek(timestamp) < _SATURDAY;
    }

    /// @notice `timestamp` moved forward by `businessDays` business days: the same time of day on the
    /// `businessDays`-th weekday after a weekday start; counted from Monday 00:00 UTC after a weekend start.
    function add(uint256 timestamp, uint256 businessDays) internal pure returns (uint256) {
        uint256 weekday = dayOfWeek(timestamp);
        if (weekday >= _SATURDAY) {
            // The start of the next Monday: 7 - weekday (1 or 2) days after the start of this day.
            timestamp = (timestamp / _DAY + 7 - weekday) * _DAY;
            weekday = 0;
        }
        uint256 calendarDays = (businessDays / 5) * 7;
        uint256 rest = businessDays % 5;
        // Crossing a weekend within the remaining part of the week adds its two days.
        calendarDays += weekday + rest >= _SATURDAY ? rest + 2 : rest;
        return timestamp + calendarDays * _DAY;
    }
}
