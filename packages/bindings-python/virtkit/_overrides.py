"""Arguments libvirt-python takes in a shape of its own (its libvirt-override.c), unpacked with
its checks and its exceptions for the generated methods (the generator's PY_PACKED)."""


def time_fields(time, flags):
    """setTime's dict: 'seconds' required, 'nseconds' optional (0); None only with flags set
    (VIR_DOMAIN_TIME_SYNC takes the time from the guest's RTC)."""
    if isinstance(time, dict):
        if "seconds" not in time:
            raise LookupError("Dictionary must contains 'seconds'")
        if "nseconds" not in time and len(time) > 1:
            raise LookupError("Dictionary contains unknown key")
        return int(time["seconds"]), int(time.get("nseconds", 0))
    if time is not None or not flags:
        raise TypeError("time must be a dictionary or None with flags set")
    return 0, 0
